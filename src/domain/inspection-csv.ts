import Papa from 'papaparse';
import type { CellError } from './csv/rows';
import { neutraliseFormula } from './csv/write';
import { dateProblem, formatIsoDay, parseIsoDay } from './history';
import { outcomeOf, type Inspection, type InspectionSpec } from './inspections';

/**
 * Inspections in and out as CSV. In: a maintenance system's export (device, date, outcome and an
 * optional note, column names from the declaration's aliases), by the batch importer's rules: a
 * bad row is listed by line and column with what was expected, and the good rows are kept.
 * Dates are ISO calendar dates, never guessed. Out: the same columns, spreadsheet-safe.
 */

export type InspectionImport =
  | {
      ok: true;
      inspections: Inspection[];
      rejected: { line: number; errors: CellError[] }[];
      rowsRead: number;
      columns: { entity: string; date: string; outcome: string; note: string | null };
    }
  | { ok: false; message: string };

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

function findColumn(header: readonly string[], names: readonly string[]): number {
  const wanted = new Set(names.map(norm));
  return header.findIndex((h) => wanted.has(norm(h)));
}

export function parseInspectionsCsv(text: string, spec: InspectionSpec): InspectionImport {
  const rows = Papa.parse<string[]>(text.replace(/^\ufeff/, '')).data;
  const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');
  // Row r is on line r + 1 (no quoted line breaks in these exports); blank lines are passed over.
  const first = rows.findIndex((c) => !blank(c));
  if (first < 0) return { ok: false, message: 'The inspections file is empty: it needs a header row (device, date, outcome).' };
  const header = rows[first]!;
  const at = {
    entity: findColumn(header, spec.columns.entity),
    date: findColumn(header, spec.columns.date),
    outcome: findColumn(header, spec.columns.outcome),
    note: findColumn(header, spec.columns.note),
  };
  const missing = (['entity', 'date', 'outcome'] as const).filter((k) => at[k] < 0);
  if (missing.length > 0) {
    const what = missing.map((k) => `${k === 'entity' ? 'the device' : `the ${k}`} (one of ${spec.columns[k].map((c) => `"${c}"`).join(', ')})`);
    return {
      ok: false,
      message: `An inspections file needs a column for ${what.join(' and ')}; its header is ${header.map((h) => `"${h}"`).join(', ')}.`,
    };
  }
  const known = spec.outcomes.map((o) => `"${o.label}"`).join(', ');
  const inspections: Inspection[] = [];
  const rejected: { line: number; errors: CellError[] }[] = [];
  let rowsRead = 0;
  for (let r = first + 1; r < rows.length; r++) {
    const line = r + 1;
    const cells = rows[r]!;
    if (blank(cells)) continue;
    rowsRead++;
    const errors: CellError[] = [];
    const cell = (k: keyof typeof at) => (at[k] >= 0 ? (cells[at[k]] ?? '').trim() : '');
    const entity = cell('entity');
    const date = cell('date');
    const word = cell('outcome');
    if (entity === '') errors.push({ line, column: header[at.entity]!, value: entity, message: `Line ${line}: ${header[at.entity]} is empty` });
    const day = parseIsoDay(date);
    if (day === null) errors.push({ line, column: header[at.date]!, value: date, message: `Line ${line}: ${header[at.date]} ${dateProblem(date)}` });
    const outcome = outcomeOf(spec, word);
    if (!outcome)
      errors.push({
        line,
        column: header[at.outcome]!,
        value: word,
        message: `Line ${line}: ${header[at.outcome]} "${word}" is not an outcome this app knows (${known})`,
      });
    if (errors.length > 0) rejected.push({ line, errors });
    else inspections.push({ entity, day: day!, outcome: outcome!.id, note: cell('note') });
  }
  return {
    ok: true,
    inspections,
    rejected,
    rowsRead,
    columns: { entity: header[at.entity]!, date: header[at.date]!, outcome: header[at.outcome]!, note: at.note >= 0 ? header[at.note]! : null },
  };
}

export function inspectionsToCsv(inspections: readonly Inspection[], spec: InspectionSpec, entityColumn: string): string {
  const label = (id: string) => spec.outcomes.find((o) => o.id === id)?.label ?? id;
  const rows = [[entityColumn, 'date', 'outcome', 'note'], ...inspections.map((i) => [i.entity, formatIsoDay(i.day), label(i.outcome), i.note])];
  return (
    Papa.unparse(
      rows.map((r) => r.map(neutraliseFormula)),
      { newline: '\r\n' },
    ) + '\r\n'
  );
}
