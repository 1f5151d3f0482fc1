import Papa from 'papaparse';
import { normColumnName as norm } from '@/domain/csv/columns';
import type { CsvReading } from '@/domain/csv/stream';
import { evidenceCells, evidenceColumns } from '@/domain/evidence';
import { type ModelEntry } from '@/domain/manifest';
import { isPositive } from '@/domain/model-list';
import { describeNumberFormat } from '@/domain/number-format';

/**
 * The result CSV: input columns as read plus probability, class, model and version; for a model
 * with evidence, what happened to similar cases and the risk's 95 % interval (evidenceColumns).
 */

export type ResultModel = Pick<ModelEntry, 'id' | 'version' | 'threshold' | 'class_labels'> & Partial<Pick<ModelEntry, 'evidence'>>;

export const resultColumns = ['probability', 'class', 'model', 'model_version'] as const;
/** Added when the reading is known: how the file's numbers and inputs were read. */
export const readingColumns = ['number_format', 'units'] as const;

/** "decimal comma (1.234,5)" */
export function describeFormat(reading: Pick<CsvReading, 'format'>): string {
  return describeNumberFormat(reading.format);
}

/** "age years; serum_creatinine µmol/L; ..." for the inputs that have a unit. */
export function describeUnits(reading: Pick<CsvReading, 'units'>): string {
  return reading.units
    .filter((u) => u.unit !== '' && u.unit !== '0/1')
    .map((u) => `${u.field} ${u.unit}`)
    .join('; ');
}

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

/**
 * A cell a spreadsheet would run as a formula: it starts with =, +, -, @, tab or CR (the
 * OWASP "CSV injection" rule, as PapaParse's `escapeFormulae`). The writer prefixes such a
 * cell, and such a header, with ' (and quotes it), so a spreadsheet shows it as text. A plain
 * signed number (-5, -0.25, -0,25, +1e3) is left as it is: it stays a number and runs nothing.
 */
export const FORMULA_CELL = /^(?![-+](?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?$)[=+\-@\t\r]/;

/** The cell as the download writes it (before quoting): a formula gets a leading '. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_CELL.test(cell) ? `'${cell}` : cell;
}

// Papa.unparse quotes a cell holding a delimiter, quote, line break or BOM, or with a
// leading/trailing space; a row with none of these is written as-is (same output, faster).
const needsQuotes = (delimiter: string) => new RegExp(`[",\\r\\n\\ufeff${delimiter === ',' ? '' : delimiter.replace(/[\\^\]-]/g, '\\$&')}]|^ | $`);

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
 * `w.rows(batch.cells, p1)`, so no single huge string is ever built. Quoting by Papa.unparse;
 * formula cells and headers neutralised (FORMULA_CELL).
 */
export function createResultWriter(header: readonly string[], model: ResultModel, reading?: CsvReading): ResultWriter {
  const taken = new Set(header.map(norm));
  // A re-uploaded result file already has these names: add a suffix rather than duplicate.
  const evidence = model.evidence;
  const added = [...resultColumns, ...(evidence ? evidenceColumns : []), ...(reading ? readingColumns : [])].map((c) => {
    let name: string = c;
    for (let k = 2; taken.has(norm(name)); k++) name = `${c}_${k}`;
    taken.add(norm(name));
    return name;
  });
  const columns = [...header, ...added];
  // Written as it was read: same delimiter, probabilities with the file's decimal separator.
  const delimiter = reading?.delimiter ?? ',';
  const cfg = { newline: '\r\n', delimiter, escapeFormulae: FORMULA_CELL };
  const NEEDS_QUOTES = needsQuotes(delimiter);
  const comma = reading?.format === 'comma';
  const about = reading ? [describeFormat(reading), describeUnits(reading)] : [];
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
          scored ? (comma ? formatProbability(p).replace('.', ',') : formatProbability(p)) : '',
          scored ? model.class_labels[isPositive(p, model.threshold) ? 1 : 0] : '',
          model.id,
          model.version,
          ...(evidence ? evidenceCells(evidence, p).map((c) => (comma ? c.replace('.', ',') : c)) : []),
          ...about,
        ];
        out += (row.some((c) => NEEDS_QUOTES.test(c) || FORMULA_CELL.test(c)) ? Papa.unparse([row], cfg) : row.join(delimiter)) + '\r\n';
      }
      return out;
    },
  };
}
