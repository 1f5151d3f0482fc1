import type { ColumnMap, ColumnRef } from './columns';
import type { ReadProgress } from './text-source';

/*
 * Rows that come already cut into cells, with typed columns: a Parquet file's row groups, read
 * in inference/worker/parquet-rows.ts (domain reads no file itself). streamRows (stream.ts)
 * feeds them to the same column resolution, row checker and batches as a CSV file's rows.
 */

/** The kind of value a typed column holds, as the checks see it. */
export type CellKind = 'number' | 'boolean' | 'date' | 'text' | 'other';

/** A typed column: its kind, and its type as the file names it ("BYTE_ARRAY (STRING)"). */
export interface ColumnType {
  kind: CellKind;
  found: string;
}

/** An open table: its header, each column's type, then its rows in pieces. */
export interface RowTable {
  header: string[];
  types: ColumnType[];
  /**
   * Rows in pieces (a row group at a time), every cell as text: numbers as JavaScript writes
   * them, dates as YYYY-MM-DD, empty for a null. Advances `progress.bytesRead` as it goes.
   */
  pieces: AsyncIterable<string[][]>;
}

/** Opens the table, setting `progress.totalBytes`; throws a FileProblem when the file is not one. */
export type RowSource = (progress: ReadProgress) => Promise<RowTable>;

const KIND_WORDS: Record<CellKind, string> = {
  number: 'a number',
  boolean: 'a true/false value',
  date: 'a date',
  text: 'text',
  other: 'a nested value',
};

/** A column with the kinds it may hold. */
export interface TypedColumn {
  ref: ColumnRef;
  accepts: readonly CellKind[];
}

/** One sentence per column whose type is not among those it accepts, or null when all fit. */
export function typeProblems(columns: readonly TypedColumn[], types: readonly ColumnType[]): string | null {
  const bad = columns.filter((c) => {
    const t = types[c.ref.index];
    return t !== undefined && !c.accepts.includes(t.kind);
  });
  if (bad.length === 0) return null;
  return bad
    .map((c) => {
      const t = types[c.ref.index]!;
      const want = c.accepts.map((k) => KIND_WORDS[k]).join(' or ');
      return `Column "${c.ref.name}" is stored as ${t.found} (${KIND_WORDS[t.kind]}); it should hold ${want}.`;
    })
    .join(' ');
}

/** The model's input columns hold numbers (a yes/no field may be a boolean); the label a 0/1 number or a boolean. */
export function inputColumns(columns: ColumnMap): TypedColumn[] {
  const inputs = columns.features
    .filter((fc) => fc.index >= 0)
    .map((fc): TypedColumn => {
      const yesNo = fc.field.kind === 'yes-no' || fc.field.kind === 'sex';
      return { ref: fc, accepts: yesNo ? ['number', 'boolean'] : ['number'] };
    });
  return columns.label ? [...inputs, { ref: columns.label, accepts: ['number', 'boolean'] }] : inputs;
}

/** The files a batch view and the fleet view take: CSV text, or Parquet (read as a typed table). */
export const FILE_ACCEPT = '.csv,text/csv,.parquet,application/vnd.apache.parquet';
