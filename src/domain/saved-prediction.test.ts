import { describe, expect, it } from 'vitest';
import { csvText, filterByReference, savedPredictionsCsv, validRecords, type SavedPrediction } from './saved-prediction';

const base: SavedPrediction = {
  id: '1',
  created: '2026-01-01T10:00:00.000Z',
  domain: 'heart',
  reference: '=HYPERLINK("x")',
  model: { id: 'heart-baseline', version: '1.0.0', sha256: 'a'.repeat(64) },
  threshold: 0.3,
  threshold_changed: true,
  probability: 0.5,
  class: 'dead',
  inputs: { age: 70, serum_creatinine: 1.8 },
  units: { age: 'years', serum_creatinine: 'mg/dL' },
  entered: { number_format: 'decimal point (1.5)', units: {} },
};

describe('history records', () => {
  it('writes formula-safe CSV with units in the header', () => {
    const words = [
      'Of the 40 patients in the study whose out-of-fold risk was close to this one (within 5 points), 20 died.',
      'Interval on this risk: 35–65 %.',
    ];
    const csv = savedPredictionsCsv([base, { ...base, id: '2', reference: 'P, 2', inputs: { age: 50 }, evidence: words }]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'created,domain,reference,model,model_version,probability,class,threshold,threshold_changed,evidence,age (years),serum_creatinine (mg/dL)',
    );
    expect(lines[1]).toBe(`2026-01-01T10:00:00.000Z,heart,"'=HYPERLINK(""x"")",heart-baseline,1.0.0,0.5,dead,0.3,yes,,70,1.8`);
    expect(lines[2]).toContain(',"P, 2",');
    expect(lines[2]).toContain(`,yes,"${words.join(' ')}",50,`); // the words hold commas: quoted
    expect(lines[2]!.endsWith(',50,')).toBe(true);
    for (const s of ['+1', '-1', '@a', '\tx']) expect(csvText(s).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('filters by reference, ignoring case, and drops invalid records', () => {
    const rs = validRecords([base, { ...base, id: '2', reference: 'abc-7', created: '2026-02-01T00:00:00.000Z' }, { nope: true }]);
    expect(rs.map((r) => r.id)).toEqual(['2', '1']);
    expect(filterByReference(rs, 'ABC').map((r) => r.id)).toEqual(['2']);
    expect(filterByReference(rs, ' ')).toHaveLength(2);
    // a record kept before the evidence was stored still reads; one with it keeps it
    expect(validRecords([{ ...base, evidence: ['x'] }])[0]!.evidence).toEqual(['x']);
    expect(validRecords([base])[0]!.evidence).toBeUndefined();
  });
});
