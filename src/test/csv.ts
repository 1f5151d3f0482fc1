// Test-only: shared fixtures for the CSV tests (domain/csv and inference/blob-text).
import { streamCsv, type CsvBatch, type StreamOptions, type StreamResult, type TextSource } from '@/domain/csv/stream';
import { getDomain } from '@/domain/domains';

export const heart = getDomain('heart');
export const device = getDomain('device');
const { fields: heartFields, presets: heartPresets } = heart;
// A full row: the first example plus a follow-up time (a file may carry every column).
export const heartNames = heartFields.map((f) => f.name);
export const seed: Record<string, number> = { ...heartPresets[0]!.values, time: 180 };
export const seedRow = heartNames.map((n) => String(seed[n]));
/** A heart file's header with its label column, and one good row for it. */
export const header = [...heartNames, 'DEATH_EVENT'];
export const good = [...seedRow, '0'];

export interface Collected {
  result: StreamResult;
  batches: CsvBatch[];
  values: Record<string, number>[];
  labels: number[];
  lines: number[];
  cells: string[][];
  rejected: CsvBatch['rejected'];
}

/** Run streamCsv and flatten its batches, with feature vectors turned back into records. */
export async function collect(input: TextSource | string, domain = heart, opts: Partial<StreamOptions> = {}): Promise<Collected> {
  const order = opts.featureOrder ?? domain.fields.map((f) => f.name);
  const c: Omit<Collected, 'result'> = { batches: [], values: [], labels: [], lines: [], cells: [], rejected: [] };
  const result = await streamCsv(input, domain, {
    ...opts,
    onBatch: async (b) => {
      c.batches.push(b);
      for (let i = 0; i < b.rows; i++) {
        c.values.push(Object.fromEntries(order.map((n, j) => [n, b.features[i * b.nFeatures + j]!])));
        c.labels.push(b.labels[i]!);
        c.lines.push(b.lines[i]!);
      }
      c.cells.push(...b.cells);
      c.rejected.push(...b.rejected);
      await opts.onBatch?.(b);
    },
  });
  return { result, ...c };
}

export const f32 = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.fround(v)]));
export const csv = (rows: string[][], nl = '\n') => rows.map((r) => r.join(',')).join(nl) + nl;
