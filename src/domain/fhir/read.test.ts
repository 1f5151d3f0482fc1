import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { toModelUnit } from '@/domain/units';
import { readBundle, readBundleText } from './bundle';
import patientA from './fixtures/patient-a-collection.json';
import patientAEverything from './fixtures/patient-a-everything.json';
import patientB from './fixtures/patient-b-transaction.json';
import { readRecord, wholeYears } from './read';

const heart = getDomain('heart');
const TODAY = '2026-12-05';

function read(bundle: unknown, today = TODAY) {
  const r = readBundle(bundle);
  if (!r.ok) throw new Error(r.error);
  return readRecord(heart.fields, r.contents, today);
}

const clone = <T>(x: T): T => structuredClone(x);

describe('reading a FHIR R4 Bundle into the heart form', () => {
  it('reads patient A (a collection): latest final value wins, units converted by the declared rules', () => {
    const r = read(patientA);
    expect(r.patient).toBe('Patient/pa-1');
    expect(r.values).toEqual({
      age: 65,
      sex: 0,
      serum_creatinine: toModelUnit(150, { id: 'umol/L', label: 'µmol/L', factor: 88.42 }),
      serum_sodium: 137,
      platelets: 250_000,
      ejection_fraction: 35,
      smoking: 0,
      diabetes: 1,
      high_blood_pressure: 1,
    });
    expect(r.values.serum_creatinine).toBeCloseTo(1.6964, 4);
  });

  it('never uses an entered-in-error or a preliminary value, even when later', () => {
    const cr = read(patientA).fields.serum_creatinine!;
    expect(cr).toMatchObject({ code: 'LOINC 14682-9', date: '2026-11-20', source: 'Observation/pa-cr-2', asRecorded: '150 umol/L' });
    expect(cr.stale).toBeUndefined();
  });

  it('gives each value its code, date and source', () => {
    const f = read(patientA).fields;
    expect(f.platelets).toMatchObject({ code: 'LOINC 777-3', date: '2026-11-20', source: 'Observation/pa-plt-2' });
    expect(f.serum_sodium).toMatchObject({ code: 'LOINC 2951-2', asRecorded: '137 mEq/L' });
    expect(f.diabetes).toMatchObject({ code: 'SNOMED CT 44054006', source: 'Condition/pa-dm-1', date: '2019-03-02' });
    expect(f.high_blood_pressure).toMatchObject({ code: 'ICD-10 I10', source: 'Condition/pa-htn-1' });
    expect(f.smoking).toMatchObject({ code: 'LOINC 72166-2', value: 0, asRecorded: 'Ex-smoker' });
    expect(f.sex).toMatchObject({ code: 'Patient.gender', value: 0, source: 'Patient/pa-1' });
  });

  it('flags a value older than the declared age', () => {
    const ef = read(patientA).fields.ejection_fraction!;
    expect(ef).toMatchObject({ value: 35, date: '2025-06-01', stale: { days: 552, maxDays: 365 } });
    expect(ef.note).toMatch(/552 days old, older than 365 days/);
    // The same creatinine read 100 days later is old too.
    expect(read(patientA, '2027-03-01').fields.serum_creatinine!.stale).toEqual({ days: 101, maxDays: 90 });
  });

  it('leaves a field the record does not hold blank, and says so', () => {
    const r = read(patientA);
    expect(r.values.creatinine_phosphokinase).toBeUndefined();
    expect(r.fields.creatinine_phosphokinase!.note).toMatch(/holds no Creatinine phosphokinase \(CPK\) \(LOINC 2157-6\): left blank/);
    // The only anaemia condition was entered in error.
    expect(r.values.anaemia).toBeUndefined();
    expect(r.fields.anaemia!.note).toMatch(/no active anaemia condition/);
    expect(r.fields.time).toBeUndefined();
  });

  it('computes age at the date of the latest value used', () => {
    const r = read(patientA);
    expect(r.fields.age).toMatchObject({ value: 65, date: '2026-11-20', code: 'Patient.birthDate' });
    expect(wholeYears('1961-04-12', '2026-04-11')).toBe(64);
    expect(wholeYears('1961-04-12', '2026-04-12')).toBe(65);
  });

  it('reads a Patient $everything searchset as the same record', () => {
    expect(read(patientAEverything).values).toEqual(read(patientA).values);
  });

  it('reads patient B (a transaction with urn:uuid references), SNOMED and ICD-10-CM conditions', () => {
    const r = read(patientB);
    expect(r.values).toEqual({
      age: 76,
      sex: 1,
      serum_creatinine: 2.3,
      serum_sodium: 131,
      ejection_fraction: 25,
      creatinine_phosphokinase: 580,
      platelets: 220_000,
      smoking: 1,
      anaemia: 1,
      high_blood_pressure: 1,
    });
    expect(r.fields.anaemia).toMatchObject({ code: 'SNOMED CT 271737000' });
    expect(r.fields.high_blood_pressure).toMatchObject({ code: 'ICD-10-CM I11.0' });
    expect(r.fields.ejection_fraction).toMatchObject({ code: 'LOINC 8806-2', date: '2026-10-15' });
    expect(r.values.diabetes).toBeUndefined();
  });

  it('leaves sex blank for other or unknown, and says why', () => {
    for (const g of ['other', 'unknown']) {
      const b = clone(patientA);
      (b.entry[0]!.resource as { gender: string }).gender = g;
      const r = read(b);
      expect(r.values.sex).toBeUndefined();
      expect(r.fields.sex!.note).toMatch(new RegExp(`gender is "${g}".*women and men only.*left blank`));
    }
  });

  it('leaves a value in a unit it cannot convert blank, naming the unit', () => {
    const b = clone(patientA);
    const cr = b.entry.find((e) => e.resource.id === 'pa-cr-2')!.resource as { valueQuantity: { unit: string; code: string } };
    cr.valueQuantity.unit = 'mmol/L';
    cr.valueQuantity.code = 'mmol/L';
    const r = read(b);
    expect(r.values.serum_creatinine).toBeUndefined();
    expect(r.fields.serum_creatinine!.note).toBe(
      'Serum creatinine: the latest result, 150 mmol/L, is in a unit Prognos cannot convert (mmol/L; it reads mg/dL, umol/L): left blank.',
    );
  });

  it('a resolved or refuted condition is not used', () => {
    const b = clone(patientA);
    const dm = b.entry.find((e) => e.resource.id === 'pa-dm-1')!.resource as { clinicalStatus: { coding: { code: string }[] } };
    dm.clinicalStatus.coding[0]!.code = 'resolved';
    expect(read(b).values.diabetes).toBeUndefined();
  });
});

describe('bad input: one sentence, nothing guessed', () => {
  it('refuses text that is not JSON, or JSON that is not FHIR', () => {
    expect(readBundleText('age,sex\n60,1')).toEqual({ ok: false, error: 'This is not FHIR JSON: it cannot be read as JSON at all.' });
    expect(readBundleText('{"age": 60}')).toEqual({
      ok: false,
      error: 'This is not FHIR JSON: it has no resourceType, so it is not a FHIR resource.',
    });
    expect(readBundleText('{"resourceType": "Patient", "id": "x"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/FHIR Patient, not a Bundle/),
    });
    expect(readBundleText('{"resourceType": "Bundle", "type": "history"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/type "history"/),
    });
  });

  it('refuses a Bundle with two patients', () => {
    const b = clone(patientA);
    b.entry.push({
      fullUrl: 'https://fhir.example.org/fhir/Patient/pz-9',
      resource: { resourceType: 'Patient', id: 'pz-9', gender: 'male' } as never,
    });
    const r = readBundle(b);
    expect(r).toEqual({
      ok: false,
      error: expect.stringMatching(/^This Bundle holds 2 patients \(Patient\/pa-1, Patient\/pz-9\); give one patient's record\.$/),
    });
  });

  it("refuses a result about another patient than the Bundle's", () => {
    const b = clone(patientA);
    (b.entry[1]!.resource as { subject: { reference: string } }).subject.reference = 'Patient/someone-else';
    expect(readBundle(b)).toEqual({
      ok: false,
      error: expect.stringMatching(/^Observation\/pa-cr-1 is about Patient\/someone-else, not the Bundle's patient/),
    });
  });

  it('reads the same patient twice (fullUrl and id) as one', () => {
    const b = clone(patientA);
    b.entry.push(clone(b.entry[0]!));
    expect(readBundle(b).ok).toBe(true);
  });

  it('skips a malformed Observation and says so', () => {
    const b = clone(patientA);
    delete (b.entry[1]!.resource as { status?: string }).status;
    const r = read(b);
    expect(r.notes).toEqual(['Not read, as not well-formed FHIR: Observation/pa-cr-1.']);
  });
});
