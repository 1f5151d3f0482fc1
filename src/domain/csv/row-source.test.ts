// streamRows: a typed table (as the Parquet reader hands it over) through the CSV rules.
import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import type { ColumnType, RowSource } from './row-source';
import { streamCsv, streamRows, type CsvBatch, type CsvReading, type StreamResult } from './stream';
import { FileProblem } from './text-source';

const heart = getDomain('heart');
const names = heart.fields.map((f) => f.name);
const num: ColumnType = { kind: 'number', found: 'DOUBLE' };
const good = ['60', '0', '250', '1', '38', '0', '262000', '1.1', '137', '1', '0', '100'];

function table(rows: string[][], types: ColumnType[] = names.map(() => num), header = names, problem?: string): RowSource {
  return async (progress) => {
    progress.totalBytes = 1000;
    async function* pieces() {
      yield rows.slice(0, 2);
      if (problem) throw new FileProblem(problem);
      yield rows.slice(2);
    }
    return { header, types, pieces: pieces() };
  };
}

async function collect(run: (opts: Parameters<typeof streamRows>[2]) => Promise<StreamResult>) {
  const batches: CsvBatch[] = [];
  let reading: CsvReading | null = null;
  const result = await run({ chunkRows: 2, onBatch: (b) => void batches.push(b), onHeader: (_c, r) => void (reading = r) });
  return { result, batches, reading: reading as CsvReading | null };
}

describe('streamRows', () => {
  const rows = [good, [...good.slice(0, 4), '', ...good.slice(5)], good, ['', '', '', '', '', '', '', '', '', '', '', ''], good];

  it('checks, numbers and counts rows as the same table in CSV does', async () => {
    const typed = await collect((o) => streamRows(table(rows), heart, o));
    const csv = await collect((o) => streamCsv([names, ...rows].map((r) => r.join(',')).join('\n') + '\n', heart, o));
    expect(typed.result).toMatchObject({ status: 'done', rowsRead: 4, rowsValid: 3, rowsRejected: 1 });
    const view = (bs: CsvBatch[]) => bs.map((b) => ({ lines: [...b.lines], f: [...b.features], rejected: b.rejected }));
    expect(view(typed.batches)).toEqual(view(csv.batches));
    expect(typed.batches.flatMap((b) => b.rejected.map((r) => r.errors[0]!.column))).toEqual(['ejection_fraction']);
    expect(typed.reading).toMatchObject({ formatFrom: 'typed', format: 'point', delimiter: ',' });
  });

  it('refuses an input column of the wrong type, naming it and the type', async () => {
    const types = names.map((n): ColumnType => (n === 'platelets' ? { kind: 'text', found: 'BYTE_ARRAY (STRING)' } : num));
    const { result, batches } = await collect((o) => streamRows(table(rows, types), heart, o));
    expect(result).toEqual({
      status: 'refused',
      message: 'Column "platelets" is stored as BYTE_ARRAY (STRING) (text); it should hold a number.',
      missing: [],
      duplicates: [],
    });
    expect(batches).toEqual([]);
  });

  it.each([
    { column: 'anaemia', expected: { status: 'done' } },
    { column: 'age', expected: { status: 'refused', message: expect.stringContaining('Column "age" is stored as BOOLEAN') } },
  ])('takes a boolean for a yes/no input, not for a measurement: $column', async ({ column, expected }) => {
    const bool: ColumnType = { kind: 'boolean', found: 'BOOLEAN' };
    const { result } = await collect((o) =>
      streamRows(
        table(
          rows,
          names.map((n) => (n === column ? bool : num)),
        ),
        heart,
        o,
      ),
    );
    expect(result).toMatchObject(expected);
  });

  it('a damaged part ends the read with its sentence, after handing over the rows before it', async () => {
    const { result, batches } = await collect((o) => streamRows(table(rows, undefined, names, 'row group 2 of 2 is damaged.'), heart, o));
    expect(result).toMatchObject({ status: 'failed', message: 'row group 2 of 2 is damaged.', rowsRead: 2 });
    expect(batches.reduce((n, b) => n + b.rows + b.rejected.length, 0)).toBe(2);
  });
});
