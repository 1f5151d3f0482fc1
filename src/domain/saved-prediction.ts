import { partitionRecords, type UnreadableRecord } from './kept-records';
import { z } from './zod';

/**
 * A saved prediction (opt-in; stored in this browser's IndexedDB by
 * src/storage/saved-predictions.ts). Values are in the model's units; `units` names them and
 * `entered` says how they were typed.
 */
const num = z.number().finite();

export const savedPredictionSchema = z.object({
  id: z.string().min(1),
  created: z.string(),
  domain: z.string().min(1),
  reference: z.string(),
  model: z.object({ id: z.string(), version: z.string(), sha256: z.string() }),
  threshold: num,
  threshold_changed: z.boolean(),
  probability: num,
  class: z.string(),
  inputs: z.record(z.string(), num),
  units: z.record(z.string(), z.string()),
  entered: z.object({ number_format: z.string(), units: z.record(z.string(), z.string()) }),
  /** What was shown beside the risk, in words (evidenceWords): similar cases and the risk's interval. Absent in older records. */
  evidence: z.array(z.string()).optional(),
});

export type SavedPrediction = z.infer<typeof savedPredictionSchema>;

/** Stored records that still match the schema, newest first; anything else is skipped. */
export function validRecords(values: readonly unknown[]): SavedPrediction[] {
  const out: SavedPrediction[] = [];
  for (const v of values) {
    const r = savedPredictionSchema.safeParse(v);
    if (r.success) out.push(r.data);
  }
  return out.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
}

/** Valid records newest first, and the others with what is wrong with each (never dropped without a word). */
export function readSavedRecords(entries: readonly [string, unknown][]): { records: SavedPrediction[]; unreadable: UnreadableRecord[] } {
  const { records, unreadable } = partitionRecords(entries, savedPredictionSchema);
  return { records: validRecords(records), unreadable };
}

export function filterByReference(records: readonly SavedPrediction[], query: string): SavedPrediction[] {
  const q = query.trim().toLowerCase();
  return q ? records.filter((r) => r.reference.toLowerCase().includes(q)) : [...records];
}

/**
 * A text cell a spreadsheet will not run: a leading = + - @ (or a tab / carriage return) gets
 * an apostrophe; quoted when it holds a comma, quote or line break.
 */
export function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The records as CSV: one row each, fixed columns, then one column per input (model units in the header). */
export function savedPredictionsCsv(records: readonly SavedPrediction[]): string {
  const inputs: string[] = [];
  const unitOf = new Map<string, string>();
  for (const r of records) {
    for (const k of Object.keys(r.inputs)) {
      if (!unitOf.has(k)) {
        inputs.push(k);
        unitOf.set(k, r.units[k] ?? '');
      }
    }
  }
  const head = ['created', 'domain', 'reference', 'model', 'model_version', 'probability', 'class', 'threshold', 'threshold_changed', 'evidence'];
  const inputHead = inputs.map((k) => (unitOf.get(k) ? `${k} (${unitOf.get(k)})` : k));
  const lines = [[...head, ...inputHead].map(csvText).join(',')];
  for (const r of records) {
    const cells = [
      r.created,
      r.domain,
      r.reference,
      r.model.id,
      r.model.version,
      String(r.probability),
      r.class,
      String(r.threshold),
      r.threshold_changed ? 'yes' : 'no',
      (r.evidence ?? []).join(' '),
    ].map(csvText);
    for (const k of inputs) cells.push(r.inputs[k] === undefined ? '' : String(r.inputs[k]));
    lines.push(cells.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
