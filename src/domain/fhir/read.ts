import type { FieldSpec } from '../field-spec';
import type { Values } from '../to-vector';
import { findUnit, toModelUnit } from '../units';
import type { FhirCondition, FhirObservation, RecordContents, Sourced } from './bundle';
import { LOINC, UCUM, type ConditionCodes, type FhirMapping, type ObservationMapping } from './mapping';

/**
 * A patient's record (src/domain/fhir/bundle.ts) read into the form's values, by the rules
 * each field declares (`fhir` in domains/<id>.json). For every field: the value in the
 * model's unit, or none and why; the code, date and resource it came from; whether it is
 * older than the declared age.
 */

export interface FieldReading {
  field: string;
  /** In the model's unit; absent when the record does not give one. */
  value?: number;
  /** The code read: `LOINC 2160-0`, `SNOMED CT 44054006`, `Patient.birthDate`. */
  code?: string;
  /** The day the value was taken (YYYY-MM-DD), when the record says. */
  date?: string;
  /** The resource it came from: `Observation/cr-2`. */
  source?: string;
  /** As the record gives it: `120 umol/L`. */
  asRecorded?: string;
  /** Set when the value is older than the field's declared `max_age_days` at the day of reading. */
  stale?: { days: number; maxDays: number };
  /** One sentence for the form: what was read, or why the field is blank. */
  note: string;
}

export interface RecordReading {
  /** `Patient/p1` when the record names its patient. */
  patient: string | null;
  values: Values;
  fields: Record<string, FieldReading>;
  /** Sentences about the record as a whole (resources skipped). */
  notes: string[];
}

const FINAL = new Set(['final', 'amended', 'corrected']);
const DAY = 86_400_000;

/** Read every field that declares a FHIR mapping; `today` is the day of reading (YYYY-MM-DD). */
export function readRecord(fields: readonly FieldSpec[], record: RecordContents, today: string): RecordReading {
  const readings: Record<string, FieldReading> = {};
  const values: Values = {};
  const later: FieldSpec[] = [];
  for (const f of fields) {
    const m = f.fhir;
    if (!m) continue;
    if (m.from === 'birth-date') {
      later.push(f);
      continue;
    }
    const r = readField(f, m, record, today);
    readings[f.name] = r;
    if (r.value !== undefined) values[f.name] = r.value;
  }
  // Age at the date of the latest value used (today when none is).
  const dates = Object.values(readings).flatMap((r) => (r.value !== undefined && r.date ? [r.date] : []));
  const at = dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : null;
  for (const f of later) {
    const r = readAge(f, record, at ?? today, at === null);
    readings[f.name] = r;
    if (r.value !== undefined) values[f.name] = r.value;
  }
  const notes = record.skipped.length ? [`Not read, as not well-formed FHIR: ${record.skipped.join(', ')}.`] : [];
  return { patient: record.patient?.source ?? null, values, fields: readings, notes };
}

function readField(f: FieldSpec, m: FhirMapping, record: RecordContents, today: string): FieldReading {
  switch (m.from) {
    case 'observation':
      return readObservation(f, m, record.observations, today);
    case 'condition':
      return readCondition(f, m.codes, record.conditions);
    case 'gender':
      return readGender(f, m.map, record);
    default:
      return { field: f.name, note: `${f.label}: not read from the record.` };
  }
}

/** The day (YYYY-MM-DD) an observation was taken: effective[x], else when it was issued. */
function observationDate(o: FhirObservation): string | undefined {
  return observationTime(o)?.slice(0, 10);
}
function observationTime(o: FhirObservation): string | undefined {
  return o.effectiveDateTime ?? o.effectiveInstant ?? o.effectivePeriod?.start ?? o.effectivePeriod?.end ?? o.issued;
}

function readObservation(f: FieldSpec, m: ObservationMapping, all: readonly Sourced<FhirObservation>[], today: string): FieldReading {
  const codes = new Set(m.loinc.map((l) => l.code));
  const matching = all.filter(({ resource: o }) =>
    (o.code.coding ?? []).some((c) => c.system === LOINC && c.code !== undefined && codes.has(c.code)),
  );
  const what = `${f.label} (LOINC ${m.loinc.map((l) => l.code).join(', ')})`;
  if (matching.length === 0) return { field: f.name, note: `The record holds no ${what}: left blank.` };
  const usable = matching
    .filter(({ resource: o }) => FINAL.has(o.status) && observationDate(o) !== undefined)
    .sort((a, b) => Date.parse(observationTime(b.resource)!) - Date.parse(observationTime(a.resource)!));
  const latest = usable[0];
  if (!latest) {
    const statuses = [...new Set(matching.map(({ resource: o }) => o.status))].join(', ');
    return { field: f.name, note: `The record's ${what} is not final or has no date (${statuses}): left blank.` };
  }
  const o = latest.resource;
  const date = observationDate(o)!;
  const loinc = (o.code.coding ?? []).find((c) => c.system === LOINC && c.code !== undefined && codes.has(c.code))!.code!;
  const base = { field: f.name, code: `LOINC ${loinc}`, date, source: latest.source };
  const age = Math.floor((Date.parse(today) - Date.parse(date)) / DAY);
  const stale = m.max_age_days !== undefined && age > m.max_age_days ? { days: age, maxDays: m.max_age_days } : undefined;
  const staleNote = stale ? ` It is ${age} days old, older than ${m.max_age_days} days: check it is still current.` : '';
  if (m.answers) {
    const cc = o.valueCodeableConcept?.coding ?? [];
    const answer = m.answers.find((a) => cc.some((c) => c.system === a.system && c.code === a.code));
    const said = cc.map((c) => c.display ?? c.code).join(', ') || o.valueCodeableConcept?.text || 'no coded answer';
    if (!answer) return { ...base, asRecorded: said, note: `${f.label}: the record's answer (${said}) is not one Prognos reads: left blank.` };
    if (answer.value === null) return { ...base, asRecorded: answer.display, note: `${f.label}: the record says "${answer.display}": left blank.` };
    return { ...base, value: answer.value, asRecorded: answer.display, ...(stale ? { stale } : {}), note: `${answer.display}.${staleNote}` };
  }
  const q = o.valueQuantity;
  if (q?.value === undefined) return { ...base, note: `${f.label}: the latest final result has no number: left blank.` };
  const unitCode = q.system === undefined || q.system === UCUM ? (q.code ?? q.unit) : q.unit;
  const asRecorded = `${q.value} ${q.unit ?? q.code ?? ''}`.trim();
  const target = unitCode === undefined ? undefined : m.units?.[unitCode];
  if (target === undefined)
    return {
      ...base,
      asRecorded,
      note: `${f.label}: the latest result, ${asRecorded}, is in a unit Prognos cannot convert (${unitCode ?? 'none given'}; it reads ${Object.keys(m.units ?? {}).join(', ')}): left blank.`,
    };
  const value = toModelUnit(q.value, findUnit(f, target));
  return { ...base, value, asRecorded, ...(stale ? { stale } : {}), note: `${asRecorded}.${staleNote}` };
}

const SYSTEM_NAMES: Record<string, string> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
};
const NOT_USED_VERIFICATION = new Set(['entered-in-error', 'refuted']);
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

function matches(list: ConditionCodes, system: string | undefined, code: string | undefined): boolean {
  if (system !== list.system || code === undefined) return false;
  return list.match === 'exact' ? list.codes.includes(code) : list.codes.some((p) => code.startsWith(p));
}

function statusCode(c: FhirCondition['clinicalStatus']): string | undefined {
  return c?.coding?.find((x) => x.code !== undefined)?.code;
}

function readCondition(f: FieldSpec, lists: readonly ConditionCodes[], all: readonly Sourced<FhirCondition>[]): FieldReading {
  const found = all.flatMap((s) => {
    const coding = (s.resource.code?.coding ?? []).find((c) => lists.some((l) => matches(l, c.system, c.code)));
    return coding ? [{ s, coding }] : [];
  });
  const what = f.label.toLowerCase();
  const usable = found.filter(({ s }) => {
    const v = statusCode(s.resource.verificationStatus);
    const c = statusCode(s.resource.clinicalStatus);
    return !(v && NOT_USED_VERIFICATION.has(v)) && (c === undefined || ACTIVE.has(c));
  });
  if (usable.length === 0) {
    const why = found.length ? ' active' : '';
    return {
      field: f.name,
      note: `The record holds no${why} ${what} condition coded in the declared lists: left blank (choose No if the patient has none).`,
    };
  }
  const dateOf = (c: FhirCondition) => (c.recordedDate ?? c.onsetDateTime)?.slice(0, 10);
  usable.sort((a, b) => ((dateOf(b.s.resource) ?? '') > (dateOf(a.s.resource) ?? '') ? 1 : -1));
  const { s, coding } = usable[0]!;
  const date = dateOf(s.resource);
  const code = `${SYSTEM_NAMES[coding.system!] ?? coding.system} ${coding.code}`;
  return {
    field: f.name,
    value: 1,
    code,
    ...(date ? { date } : {}),
    source: s.source,
    asRecorded: coding.display ?? code,
    note: `${coding.display ?? code}.`,
  };
}

function readGender(f: FieldSpec, map: Readonly<Record<string, number>>, record: RecordContents): FieldReading {
  const p = record.patient;
  if (!p) return { field: f.name, note: `The record holds no Patient: ${f.label.toLowerCase()} left blank.` };
  const g = p.resource.gender;
  const base = { field: f.name, code: 'Patient.gender', source: p.source };
  if (g === undefined) return { ...base, note: `The record does not give the patient's gender: ${f.label.toLowerCase()} left blank.` };
  const v = map[g];
  if (v === undefined)
    return {
      ...base,
      asRecorded: g,
      note: `The record's gender is "${g}"; the model was trained on women and men only, so ${f.label.toLowerCase()} is left blank for you to choose.`,
    };
  return { ...base, value: v, asRecorded: g, note: `Gender ${g}.` };
}

function readAge(f: FieldSpec, record: RecordContents, at: string, noValues: boolean): FieldReading {
  const p = record.patient;
  if (!p) return { field: f.name, note: `The record holds no Patient: ${f.label.toLowerCase()} left blank.` };
  const b = p.resource.birthDate;
  const base = { field: f.name, code: 'Patient.birthDate', source: p.source };
  if (!b) return { ...base, note: `The record does not give the birth date: ${f.label.toLowerCase()} left blank.` };
  if (b.length < 10) return { ...base, asRecorded: b, note: `The birth date is only ${b}: ${f.label.toLowerCase()} left blank rather than guessed.` };
  const years = wholeYears(b, at);
  const when = noValues ? `today (${at}), as no value was read` : `${at}, the date of the latest value read`;
  return { ...base, value: years, date: at, asRecorded: `born ${b}`, note: `Born ${b}: ${years} at ${when}.` };
}

/** Whole years from a birth date to a day, both YYYY-MM-DD. */
export function wholeYears(birth: string, at: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}
