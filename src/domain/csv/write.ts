import Papa from 'papaparse';
import { normColumnName as norm } from '@/domain/csv/columns';
import { isPositive, type ModelEntry } from '@/domain/manifest';

/** The result CSV: input columns as read plus probability, class, model and version. */

export type ResultModel = Pick<ModelEntry, 'id' | 'version' | 'threshold' | 'class_labels'>;

export const resultColumns = ['probability', 'class', 'model', 'model_version'] as const;

/**
 * Probability as the shortest decimal that reads back to the same float32 (the model's
 * output type): 0.03 rather than 0.029999999329447746.
 */
export function formatProbability(p: number): string {
  const f = Math.fround(p);
  if (f !== p || !Number.isFinite(p)) return String(p);
  // Binary search over significant digits; 9 always reads back for a float32.
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(p.toPrecision(mid))) === f) hi = mid;
    else lo = mid + 1;
  }
  return String(Number(p.toPrecision(hi)));
}

// Papa.unparse quotes a cell holding a delimiter, quote, line break or BOM, or with a
// leading/trailing space; a row with none of these is written as-is (same output, faster).
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

export interface ResultWriter {
  /** Output column names: the input header as read, then the added result columns. */
  columns: string[];
  /** The header line, ending in CRLF. */
  header(): string;
  /** Lines for these rows, each ending in CRLF; p1 NaN (a rejected row) leaves result cells empty. */
  rows(cells: readonly (readonly string[])[], p1: ArrayLike<number>): string;
}

/**
 * Writes the download in parts: `new Blob([w.header(), ...parts])` where each part is
 * `w.rows(batch.cells, p1)`, so no single huge string is ever built. Quoting by Papa.unparse.
 */
export function createResultWriter(header: readonly string[], model: ResultModel): ResultWriter {
  const taken = new Set(header.map(norm));
  // A re-uploaded result file already has these names: add a suffix rather than duplicate.
  const added = resultColumns.map((c) => {
    let name: string = c;
    for (let k = 2; taken.has(norm(name)); k++) name = `${c}_${k}`;
    taken.add(norm(name));
    return name;
  });
  const columns = [...header, ...added];
  const cfg = { newline: '\r\n' };
  return {
    columns,
    header: () => Papa.unparse([columns], cfg) + '\r\n',
    rows(cells, p1) {
      if (cells.length !== p1.length) throw new Error(`rows(): ${cells.length} rows but ${p1.length} probabilities`);
      if (cells.length === 0) return '';
      let out = '';
      for (let i = 0; i < cells.length; i++) {
        const p = p1[i]!;
        const scored = !Number.isNaN(p);
        const row = [
          ...cells[i]!,
          scored ? formatProbability(p) : '',
          scored ? model.class_labels[isPositive(p, model.threshold) ? 1 : 0] : '',
          model.id,
          model.version,
        ];
        out += (row.some((c) => NEEDS_QUOTES.test(c)) ? Papa.unparse([row], cfg) : row.join(',')) + '\r\n';
      }
      return out;
    },
  };
}
