import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createResultWriter, FORMULA_CELL, formatProbability, neutraliseFormula } from '@/domain/csv/write';
import { patientEvidence, similarRow } from '@/test/evidence';

describe('result writer', () => {
  it('adds what happened to similar cases and the interval when the model has evidence (comma decimals too)', () => {
    const evidence = {
      ...patientEvidence([similarRow(0, 40, 4, 0.04, 0.23), similarRow(0.5, 12, 6, 0.25, 0.75), similarRow(1, 0, 0, 0, 1)]),
      interval: { method: 'Wilson band over the similar cases', sentence: 'Interval: s.' },
    };
    const w = createResultWriter(['age'], { ...model, evidence });
    expect(w.columns).toEqual([
      'age',
      'probability',
      'class',
      'model',
      'model_version',
      'similar_n',
      'similar_events',
      'interval_95_low',
      'interval_95_high',
    ]);
    expect(w.rows([['70'], ['80'], ['x']], [0.2, 0.6, Number.NaN])).toBe(
      '70,0.2,survived,heart-rf,1.0.0,40,4,0.04,0.23\r\n' + '80,0.6,died,heart-rf,1.0.0,12,6,0.25,0.75\r\n' + 'x,,,heart-rf,1.0.0,,,,\r\n',
    );
    const comma = createResultWriter(['age'], { ...model, evidence }, { delimiter: ';', format: 'comma', units: [] } as never);
    expect(
      comma
        .rows([['70']], [0.2])
        .split(';')
        .slice(-6, -2),
    ).toEqual(['40', '4', '0,04', '0,23']);
  });

  const model = { id: 'heart-rf', version: '1.0.0', threshold: 0.5, class_labels: ['survived', 'died'] as [string, string] };

  it('writes input columns as read plus probability, class, model, model_version', () => {
    const w = createResultWriter(['ID', 'age'], model);
    const text =
      w.header() +
      w.rows(
        [
          ['a, "b"', '70'],
          ['c', '80'],
        ],
        new Float32Array([0.5, 0.03]),
      ) +
      w.rows([['d', 'x']], [Number.NaN]);
    expect(text).toBe(
      'ID,age,probability,class,model,model_version\r\n' +
        '"a, ""b""",70,0.5,died,heart-rf,1.0.0\r\n' +
        'c,80,0.03,survived,heart-rf,1.0.0\r\n' +
        'd,x,,,heart-rf,1.0.0\r\n',
    );
    expect(Papa.parse(text, { header: true, skipEmptyLines: true }).data[0]).toEqual({
      ID: 'a, "b"',
      age: '70',
      probability: '0.5',
      class: 'died',
      model: 'heart-rf',
      model_version: '1.0.0',
    });
  });

  it('writes a `;` file back with `;` and decimal commas, and states its format and units on each row', () => {
    const reading = {
      delimiter: ';',
      format: 'comma' as const,
      formatFrom: 'delimiter' as const,
      units: [
        { field: 'serum_creatinine', column: 'serum_creatinine_umol_l', unit: 'µmol/L', from: 'header' as const },
        { field: 'sex', column: 'sex', unit: '0/1', from: 'chosen' as const },
      ],
    };
    const w = createResultWriter(['serum_creatinine_umol_l', 'sex', 'note'], model, reading);
    const text = w.header() + w.rows([['88,42', '1', 'a;b']], new Float32Array([0.25]));
    expect(text).toBe(
      'serum_creatinine_umol_l;sex;note;probability;class;model;model_version;number_format;units\r\n' +
        '88,42;1;"a;b";0,25;survived;heart-rf;1.0.0;decimal comma (1.234,5);serum_creatinine µmol/L\r\n',
    );
  });

  it('writes exactly what Papa.unparse writes, for any cells (property)', () => {
    const w = createResultWriter(['a', 'b', 'c'], model);
    const cell = fc.oneof(fc.string(), fc.constantFrom('', ' x', 'x ', 'a,b', 'say "hi"', 'two\nlines', '\r', '\ufeffx', '=1+2'));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 5 }), (rows) => {
        const p = rows.map((_, i) => (i % 3 === 2 ? Number.NaN : Math.fround(i / 7)));
        const expected = rows.map((r, i) => {
          const scored = !Number.isNaN(p[i]!);
          const extra = scored ? [formatProbability(p[i]!), p[i]! >= 0.5 ? 'died' : 'survived'] : ['', ''];
          return Papa.unparse([[...r, ...extra, 'heart-rf', '1.0.0']], { newline: '\r\n', escapeFormulae: FORMULA_CELL }) + '\r\n';
        });
        expect(w.rows(rows, p)).toBe(expected.join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('neutralises formula cells and headers, and keeps plain signed numbers as numbers', () => {
    const w = createResultWriter(['=2+5', 'note', 'delta'], model);
    const rows = [
      ['=HYPERLINK("http://x","y")', '+1+1', '-5'],
      ['@SUM(A1:A2)', "=cmd|' /C calc'!A0", '-0.25'],
      ['\tx', '\rx', '-0,25'],
      ['-1+1', '+3', '1e5'],
    ];
    const text = w.header() + w.rows(rows, [Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    const back = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    expect(back[0]!.slice(0, 3)).toEqual(["'=2+5", 'note', 'delta']);
    expect(back.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['\'=HYPERLINK("http://x","y")', "'+1+1", '-5'],
      ["'@SUM(A1:A2)", "'=cmd|' /C calc'!A0", '-0.25'],
      ["'\tx", "'\rx", '-0,25'],
      ["'-1+1", '+3', '1e5'],
    ]);
    // No cell of the file, read back, starts a formula except a plain number.
    for (const r of back) for (const c of r) expect(FORMULA_CELL.test(c)).toBe(false);
  });

  it('neutraliseFormula: any text starting with a formula character gets a quote, unless it is a plain number (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string(), (lead, rest) => {
        const cell = lead + rest;
        const out = neutraliseFormula(cell);
        const plainNumber = /^[-+](\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(cell);
        expect(out).toBe(plainNumber ? cell : `'${cell}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds a suffix instead of duplicating a column the input already has', () => {
    expect(createResultWriter(['Probability', 'class', 'class_2'], model).columns).toEqual([
      'Probability',
      'class',
      'class_2',
      'probability_2',
      'class_3',
      'model',
      'model_version',
    ]);
  });

  it('formats float32 probabilities as the shortest decimal that reads back the same', () => {
    for (const p of [0, 1, 0.03, 0.1, 0.123456789, 1e-7, 0.999999]) {
      const f = Math.fround(p);
      const s = formatProbability(f);
      expect(Math.fround(Number(s))).toBe(f);
      expect(s.length).toBeLessThanOrEqual(String(p).length + 1);
    }
    expect(formatProbability(Math.fround(0.03))).toBe('0.03');
    expect(formatProbability(0.1 + 0.2)).toBe('0.30000000000000004');
  });
});
