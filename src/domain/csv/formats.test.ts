import { describe, expect, it } from 'vitest';
import { collect, heart, heartNames, seed } from '@/test/csv';
import type { CsvReading } from './stream';

/** A file as a German spreadsheet saves it: `;` between cells, decimal commas. */
function german(rows: Record<string, number>[], names = heartNames) {
  const lines = [names.join(';'), ...rows.map((r) => names.map((n) => String(r[n]).replace('.', ',')).join(';'))];
  return lines.join('\r\n') + '\r\n';
}

async function read(text: string, opts: Parameters<typeof collect>[2] = {}) {
  let reading: CsvReading | null = null;
  const c = await collect(text, heart, { ...opts, onHeader: (_c, r) => void (reading = r) });
  return { ...c, reading: reading as CsvReading | null };
}

describe('CSV number formats and units', () => {
  const rows = [seed, { ...seed, serum_creatinine: 1.9, platelets: 263358.03 }];

  it('reads a `;` file with decimal commas, and says so', async () => {
    const r = await read(german(rows));
    expect(r.result.status).toBe('done');
    expect(r.rejected).toEqual([]);
    expect(r.values.map((v) => v.serum_creatinine)).toEqual([Math.fround(0.9), Math.fround(1.9)]);
    expect(r.values[1]!.platelets).toBe(Math.fround(263358.03));
    expect(r.reading).toMatchObject({ delimiter: ';', format: 'comma', formatFrom: 'delimiter' });
  });

  it('never reads 1,9 as 19: read with the point setting, the cell is refused naming the setting', async () => {
    const r = await read(german(rows), { numberFormat: 'point' });
    expect(r.reading).toMatchObject({ format: 'point', formatFrom: 'setting' });
    expect(r.values).toEqual([]);
    const cell = r.rejected[1]!.errors.find((e) => e.column === 'serum_creatinine')!;
    expect(cell.message).toMatch(/Serum creatinine 1,9 is written with a decimal comma.*number format is set to decimal point/);
  });

  it('refuses a cell that reads two ways, naming the setting', async () => {
    const text = german([seed]).replace(/;270000;/, ';270.000;');
    const r = await read(text);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.errors[0]).toMatchObject({ line: 2, column: 'platelets', value: '270.000' });
    expect(r.rejected[0]!.errors[0]!.message).toMatch(/could be read two ways \(270000 or 270\).*decimal comma/);
  });

  it('takes units from header suffixes and converts to the model unit', async () => {
    const names = heartNames.map((n) => (n === 'serum_creatinine' ? 'serum_creatinine_umol_l' : n === 'platelets' ? 'PLATELETS_10E9_L' : n));
    const inUnits = rows.map((r) => ({ ...r, serum_creatinine_umol_l: r.serum_creatinine! * 88.42, PLATELETS_10E9_L: r.platelets! / 1000 }));
    const r = await read(german(inUnits, names));
    expect(r.rejected).toEqual([]);
    expect(r.values[0]!.serum_creatinine).toBe(Math.fround(0.9));
    expect(r.values[1]!.platelets).toBe(Math.fround(263358.03));
    expect(r.reading!.units.filter((u) => u.from === 'header')).toEqual([
      { field: 'platelets', column: 'PLATELETS_10E9_L', unit: '×10⁹/L', from: 'header' },
      { field: 'serum_creatinine', column: 'serum_creatinine_umol_l', unit: 'µmol/L', from: 'header' },
    ]);
  });

  it('reads plain columns in the unit chosen for the file, with limits in that unit', async () => {
    const text = german([
      { ...seed, serum_creatinine: 88.42 },
      { ...seed, serum_creatinine: 5000 },
    ]);
    const r = await read(text, { units: { serum_creatinine: 'umol/L' } });
    expect(r.values.map((v) => v.serum_creatinine)).toEqual([1]);
    expect(r.rejected[0]!.errors[0]!.message).toBe('Serum creatinine must be at most 2.652,6 µmol/L');
    expect(r.reading!.units.find((u) => u.field === 'serum_creatinine')).toMatchObject({ unit: 'µmol/L', from: 'chosen' });
  });
});
