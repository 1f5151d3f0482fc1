import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveColumns } from '@/domain/csv/columns';
import { checkRow, isBlankRow, RowChecker } from '@/domain/csv/rows';
import { getDomain } from '@/domain/domains';
import { type FieldSpec } from '@/domain/field-spec';
import { fieldSchema } from '@/domain/fields';
import type { NumberFormat } from '@/domain/number-format';
import { heart, heartNames, seed, seedRow } from '@/test/csv';

const deviceFields = getDomain('device').fields;
const heartFields = getDomain('heart').fields;

describe('row checks', () => {
  const res = resolveColumns([...heartNames, 'DEATH_EVENT', 'id'], heart);
  if (!res.ok) throw new Error(res.message);
  const cols = res.columns;

  it('returns values, label and pass-through cells for a good row', () => {
    expect(checkRow([...seedRow, '1', 'p-7'], 2, cols)).toEqual({ ok: true, line: 2, values: seed, label: 1, passThrough: ['p-7'] });
  });

  it('lists each bad cell with line, column, value and the schema message', () => {
    const cells = [...seedRow, '0', 'p-8'];
    cells[heartNames.indexOf('age')] = 'abc';
    cells[heartNames.indexOf('ejection_fraction')] = '101';
    const r = checkRow(cells, 9, cols);
    expect(r).toEqual({
      ok: false,
      line: 9,
      errors: [
        { line: 9, column: 'age', value: 'abc', message: 'Age must be a number' },
        { line: 9, column: 'ejection_fraction', value: '101', message: 'Ejection fraction must be at most 100 %' },
      ],
    });
  });

  it('rejects a bad label, naming the label column and "expected 0 or 1"', () => {
    const r = checkRow([...seedRow, 'yes', 'p-9'], 4, cols);
    expect(r).toEqual({
      ok: false,
      line: 4,
      errors: [{ line: 4, column: 'DEATH_EVENT', value: 'yes', message: 'Label column DEATH_EVENT: expected 0 or 1, got "yes"' }],
    });
  });

  it('rejects a row with the wrong number of cells, naming the line', () => {
    const r = checkRow(seedRow, 5, cols);
    expect(r).toEqual({
      ok: false,
      line: 5,
      errors: [{ line: 5, column: '', value: '', message: 'Line 5 has 12 cells; the header has 14 columns' }],
    });
  });

  // The hot path repeats the zod rules; zod must agree on every verdict and value.
  it('agrees with the zod field schema on any cell (property)', () => {
    const specs: FieldSpec[] = [...heartFields, deviceFields[0]!];
    const cell = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.integer({ min: -5, max: 300000 }).map(String),
      fc.constantFrom(
        '',
        ' ',
        '1e3',
        '0x10',
        '-0',
        '+1',
        '.5',
        '5.',
        '1.0',
        'Infinity',
        'NaN',
        ' 7 ',
        '2147483648',
        '1e400',
        '1,5',
        '1.234',
        '1,234',
        '1.234,5',
        '1,234.5',
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...specs), cell, fc.constantFrom<NumberFormat>('point', 'comma'), (spec, raw, format) => {
        const r = resolveColumns([spec.name], { ...heart, fields: [spec] }, [spec.name]);
        if (!r.ok) throw new Error(r.message);
        const ck = new RowChecker(r.columns, { format });
        const errors = ck.check([raw], 2);
        const z = fieldSchema(spec, { format }).safeParse(raw);
        expect(errors === null).toBe(z.success);
        if (z.success) expect(Object.is(ck.values[0], z.data)).toBe(true);
        else expect(errors![0]!.message).toBe(z.error.issues.map((i) => i.message).join('; '));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isBlankRow', () => {
  it('is true only when every cell is empty or whitespace, whatever the first cell starts with', () => {
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(['', ' ', '\t'])).toBe(true);
    expect(isBlankRow(['\u00a0', '  '])).toBe(true);
    expect(isBlankRow(['a'])).toBe(false);
    expect(isBlankRow(['', 'x'])).toBe(false);
    expect(isBlankRow([' ', '', '0'])).toBe(false);
    expect(isBlankRow(['\u00e9t\u00e9'])).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }), (cells) => isBlankRow(cells) === cells.every((c) => c.trim() === '')),
    );
  });
});
