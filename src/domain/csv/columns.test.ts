import { describe, expect, it } from 'vitest';
import { resolveColumns } from '@/domain/csv/columns';
import { getDomain } from '@/domain/domains';
import { device, heart, heartNames } from '@/test/csv';

const deviceFields = getDomain('device').fields;

describe('resolveColumns', () => {
  it('matches shuffled columns to the feature order', () => {
    const header = [...heartNames].reverse();
    const r = resolveColumns(header, heart);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.features.map((f) => [f.field.name, f.index])).toEqual(heartNames.map((n) => [n, header.indexOf(n)]));
  });

  it('matches names case-insensitively and ignores surrounding spaces', () => {
    const r = resolveColumns(
      heartNames.map((n) => `  ${n.toUpperCase()} `),
      heart,
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.features[0]!.name).toBe('  AGE ');
  });

  it('strips a UTF-8 BOM from the first header cell', () => {
    const r = resolveColumns(['\ufeffage', ...heartNames.slice(1)], heart);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.header[0]).toBe('age');
  });

  it('accepts attributeN for metricN and ignores metric8 / attribute8', () => {
    const header = ['date', 'device', 'failure', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `Attribute${n}`)];
    const r = resolveColumns(header, device);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.columns.features.map((f) => f.name)).toEqual([
      'Attribute1',
      'Attribute2',
      'Attribute3',
      'Attribute4',
      'Attribute5',
      'Attribute6',
      'Attribute7',
      'Attribute9',
    ]);
    expect(r.columns.ignored.map((c) => c.name)).toEqual(['Attribute8']);
    expect(r.columns.label).toEqual({ index: 2, name: 'failure' });
    expect(r.columns.passThrough.map((c) => c.name)).toEqual(['date', 'device']);
  });

  it('refuses a file with missing columns, naming them (and their aliases)', () => {
    const r = resolveColumns(['metric1', 'metric2', 'metric4', 'metric5', 'metric6', 'metric7', 'metric9'], device);
    expect(r).toMatchObject({ ok: false, missing: ['metric3'] });
    if (!r.ok) expect(r.message).toBe('The file is missing a required column: metric3 (or attribute3).');
  });

  it('refuses two columns giving the same field', () => {
    const header = [...deviceFields.map((f) => f.name), 'ATTRIBUTE4'];
    const r = resolveColumns(header, device);
    expect(r).toMatchObject({ ok: false, missing: [], duplicates: [{ field: 'metric4', columns: ['metric4', 'ATTRIBUTE4'] }] });
    if (!r.ok) expect(r.message).toContain('"metric4" and "ATTRIBUTE4" both give metric4');
  });

  it('passes through domain fields the model does not read', () => {
    const order = heartNames.filter((n) => n !== 'time');
    const r = resolveColumns(heartNames, heart, order);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.passThrough.map((c) => c.name)).toEqual(['time']);
    expect(resolveColumns(order, heart, order).ok).toBe(true);
  });
});
