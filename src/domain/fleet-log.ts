import { normColumnName, type ColumnMap } from '@/domain/csv/columns';
import type { TypedColumn } from '@/domain/csv/row-source';
import type { CellError } from '@/domain/csv/rows';
import type { CsvBatch } from '@/domain/csv/stream';
import { assembleFleetArrays, type Fleet } from './fleet';
import { Growable } from './growable';
import { dateProblem, parseIsoDay, type HistorySpec } from './history';

/**
 * A daily log read from a CSV file into columns (the rows themselves are not kept): each
 * accepted reading's entity, day, line, label and the fields the history features read,
 * in float64 so that counters above 2^24 stay exact.
 */

export interface LogColumns {
  date: number;
  entity: number;
  dateName: string;
  entityName: string;
}

/** Where the log's date and entity columns are; a message naming what is missing otherwise. */
export function findLogColumns(columns: ColumnMap, spec: HistorySpec): LogColumns | { missing: string[]; message: string } {
  const find = (name: string) => columns.passThrough.find((c) => normColumnName(c.name) === normColumnName(name));
  const date = find(spec.dateColumn);
  const entity = find(spec.entityColumn);
  if (date && entity) return { date: date.index, entity: entity.index, dateName: date.name, entityName: entity.name };
  const missing = [...(date ? [] : [spec.dateColumn]), ...(entity ? [] : [spec.entityColumn])];
  return {
    missing,
    message: `A daily log needs ${missing.length > 1 ? 'columns' : 'a column'} ${missing.map((m) => `"${m}"`).join(' and ')} (the date of each reading, YYYY-MM-DD, and the ${spec.entityColumn} it belongs to).`,
  };
}

/** In a typed file (Parquet): the date column holds dates (DATE, TIMESTAMP) or ISO text, the entity column text or numbers. */
export function logColumnKinds(cols: LogColumns): TypedColumn[] {
  return [
    { ref: { index: cols.date, name: cols.dateName }, accepts: ['date', 'text'] },
    { ref: { index: cols.entity, name: cols.entityName }, accepts: ['text', 'number'] },
  ];
}

/** The log's own checks of a row: a real ISO date (never guessed) and a non-empty entity id. */
export function logRowCheck(cols: LogColumns): (cells: readonly string[], line: number) => CellError[] | null {
  return (cells, line) => {
    let errors: CellError[] | null = null;
    const d = cells[cols.date]!;
    if (parseIsoDay(d) === null) {
      (errors ??= []).push({ line, column: cols.dateName, value: d, message: `Line ${line}: ${cols.dateName} ${dateProblem(d)}` });
    }
    const e = cells[cols.entity]!;
    if (e.trim() === '') {
      (errors ??= []).push({ line, column: cols.entityName, value: e, message: `Line ${line}: ${cols.entityName} is empty` });
    }
    return errors;
  };
}

export class FleetLog {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  readonly entity = new Growable(new Int32Array(1 << 14));
  readonly day = new Growable(new Int32Array(1 << 14));
  readonly line = new Growable(new Int32Array(1 << 14));
  readonly label = new Growable(new Int8Array(1 << 14));
  readonly values = new Growable(new Float64Array(1 << 16));

  /** `nInputs`: the fields the history features read (historyInputs), the CSV's feature order. */
  constructor(
    readonly nInputs: number,
    private readonly cols: LogColumns,
  ) {}

  get rows(): number {
    return this.line.length;
  }

  /** Add a batch's accepted rows (streamCsv with `float64` and `logRowCheck`). */
  add(b: CsvBatch): void {
    if (!b.values64) throw new Error('FleetLog.add needs the batch values in float64');
    this.values.pushAll(b.values64);
    this.line.pushAll(b.lines);
    this.label.pushAll(b.labels);
    // A batch's entities and days first, then appended whole: a Growable per row would be a call
    // per value on arrays of four kinds (slow property access in V8).
    const entity = new Int32Array(b.rows);
    const day = new Int32Array(b.rows);
    for (let r = 0; r < b.rows; r++) {
      const cells = b.cells[r]!;
      const name = cells[this.cols.entity]!.trim();
      let e = this.ids.get(name);
      if (e === undefined) this.ids.set(name, (e = this.names.push(name) - 1));
      entity[r] = e;
      day[r] = parseIsoDay(cells[this.cols.date]!)!;
    }
    this.entity.pushAll(entity);
    this.day.pushAll(day);
  }

  assemble(): Fleet {
    return assembleFleetArrays(this.names, this.entity.view(), this.day.view(), this.line.view());
  }
}
