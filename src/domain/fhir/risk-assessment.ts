import { riskBand, type DomainSpec } from '../domain-spec';
import { optionsOf, type FieldSpec } from '../field-spec';
import { type Values } from '../to-vector';
import { LOINC } from './mapping';
import type { FieldReading } from './read';

/**
 * A prediction as a FHIR R4 RiskAssessment: the outcome, the probability, its qualitative
 * band, the horizon, the model (id, version and file checksum) in `method` and `basis`, and
 * every input as a contained Observation (derived from the record's own resource when it
 * was read from one). Nothing is written to any server: the user downloads the file.
 */

export interface RiskAssessmentInput {
  domain: Pick<DomainSpec, 'title' | 'fields' | 'outcome'>;
  model: { id: string; version: string; sha256: string; title?: string };
  /** Probability of the positive class. */
  probability: number;
  /** The inputs the model received, in its units. */
  values: Values;
  /** `Patient/pa-1` when a patient was read from a record, else null. */
  patient: string | null;
  /** What the record gave for each field, when it was read from one (src/domain/fhir/read.ts). */
  readings?: Readonly<Record<string, FieldReading>>;
  /** When the prediction was made (ISO 8601). */
  occurrence: string;
  /** What happened to similar patients and the risk's interval, in words (src/domain/evidence.ts), as notes. */
  evidence?: readonly string[];
}

/** The system under which a Prognos model is named (method.coding) and its file is identified (basis). */
export const MODEL_SYSTEM = 'urn:prognos:model';
export const MODEL_FILE_SYSTEM = 'urn:prognos:model-file-sha256';
const RISK_PROBABILITY = 'http://terminology.hl7.org/CodeSystem/risk-probability';
const UCUM = 'http://unitsofmeasure.org';

type Json = Record<string, unknown>;

export function toRiskAssessment(input: RiskAssessmentInput): Json {
  const { domain, model, probability, values, patient, readings = {} } = input;
  const subject = patient ? { reference: patient } : { display: 'A patient whose values were entered by hand (no record was read)' };
  const inputs = domain.fields.filter((f) => values[f.name] !== undefined);
  const contained = inputs.map((f) => inputObservation(f, values[f.name]!, patient, readings[f.name], input.occurrence));
  const band = riskBand(domain.outcome, probability);
  const horizon = domain.outcome?.horizon;
  const days = (value: number) => ({ value, unit: 'days', system: UCUM, code: 'd' });
  return {
    resourceType: 'RiskAssessment',
    contained,
    status: 'final',
    method: {
      coding: [{ system: MODEL_SYSTEM, version: model.version, code: model.id, ...(model.title ? { display: model.title } : {}) }],
      text: `Prognos model ${model.id}, version ${model.version}, file sha256 ${model.sha256}`,
    },
    subject,
    occurrenceDateTime: input.occurrence,
    basis: [
      { identifier: { system: MODEL_FILE_SYSTEM, value: model.sha256 }, display: `The model file of ${model.id} ${model.version}` },
      ...contained.map((o) => ({ reference: `#${o.id as string}` })),
      ...recordSources(inputs, values, readings).map((reference) => ({ reference })),
    ],
    prediction: [
      {
        outcome: { text: domain.outcome?.positive ?? `${domain.title}: the positive class` },
        probabilityDecimal: probability,
        ...(band
          ? {
              qualitativeRisk: {
                ...(band.fhirCode ? { coding: [{ system: RISK_PROBABILITY, code: band.fhirCode }] } : {}),
                text: band.label,
              },
            }
          : {}),
        ...(horizon ? { whenRange: { low: days(horizon.lowDays), high: days(horizon.highDays) }, rationale: `Horizon: ${horizon.text}.` } : {}),
      },
    ],
    note: [
      ...(input.evidence ?? []).map((text) => ({ text })),
      { text: 'Computed in the browser by Prognos; not a medical device, for education and research.' },
    ],
  };
}

function inputObservation(f: FieldSpec, value: number, patient: string | null, read: FieldReading | undefined, occurrence: string): Json {
  const m = f.fhir;
  const loinc = m?.from === 'observation' ? m.loinc[0] : undefined;
  const fromRecord = read && read.value === value && read.source ? read : undefined;
  const code = {
    ...(loinc && !fromRecord ? { coding: [{ system: LOINC, code: loinc.code, display: loinc.display }] } : {}),
    ...(fromRecord?.code?.startsWith('LOINC ') ? { coding: [{ system: LOINC, code: fromRecord.code.slice(6) }] } : {}),
    text: f.label,
  };
  const options = optionsOf(f);
  const valueX =
    f.kind === 'yes-no'
      ? { valueBoolean: value === 1 }
      : options
        ? { valueCodeableConcept: { text: options.find((o) => o.value === value)?.label ?? String(value) } }
        : { valueQuantity: { value, ...(f.unit ? { unit: f.unit } : {}) } };
  return {
    resourceType: 'Observation',
    id: `input-${f.name.replaceAll('_', '-')}`,
    status: 'final',
    code,
    ...(patient ? { subject: { reference: patient } } : {}),
    ...(fromRecord?.date ? { effectiveDateTime: fromRecord.date } : { effectiveDateTime: occurrence }),
    ...valueX,
    // derivedFrom takes Observations only; a Condition or the Patient is named in the assessment's basis.
    ...(fromRecord && !fromRecord.source!.startsWith('Patient') && !fromRecord.source!.startsWith('Condition')
      ? { derivedFrom: [{ reference: fromRecord.source }] }
      : {}),
    note: [{ text: fromRecord ? `Read from the record: ${fromRecord.note}` : 'Entered in the form.' }],
  };
}

/** The record's resources the inputs came from (unchanged since read), once each. */
function recordSources(fields: readonly FieldSpec[], values: Values, readings: Readonly<Record<string, FieldReading>>): string[] {
  const used = fields.flatMap((f) => {
    const r = readings[f.name];
    return r?.source && r.value === values[f.name] ? [r.source] : [];
  });
  return [...new Set(used)];
}
