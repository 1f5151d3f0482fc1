import { z } from '@/domain/zod';
import type { KeptLog } from './fleet-workspace';
import { formatIsoDay, parseIsoDay } from './history';
import type { Inspection } from './inspections';
import { partitionRecords, zodProblem, type UnreadableRecord } from './kept-records';

/**
 * What a fleet workspace keeps in this browser, and the one file it is exported to. Versioned:
 * an older record is migrated on read; one that does not validate is counted and named, and kept
 * until the user deletes or exports it (never dropped without a word).
 */

export const WORKSPACE_SCHEMA = 3;
/** The export file's own version: it carries the log as CSV, whatever the layout kept in the browser. */
export const EXPORT_SCHEMA = 1;
export const INSPECTION_SCHEMA = 1;
export const EXPORT_FORMAT = 'prognos-fleet-workspace';

const appendedFile = z.object({
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  at: z.string(),
  rowsRead: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  replaced: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  setAside: z.number().int().nonnegative(),
});
export type AppendedFile = z.infer<typeof appendedFile>;

export const workspaceMetaSchema = z.object({
  schema: z.literal(WORKSPACE_SCHEMA),
  domain: z.string().min(1),
  model: z.object({ id: z.string(), version: z.string(), sha256: z.string() }),
  inputs: z.array(z.string()).min(1),
  /** The log's label column, when the first file had one. */
  labelColumn: z.string().nullable(),
  columns: z.object({ entity: z.string(), date: z.string() }),
  files: z.array(appendedFile),
  readings: z.number().int().nonnegative(),
  devices: z.number().int().nonnegative(),
  updatedAt: z.string(),
  /** A sentence for the next visit (e.g. rescored by another model version). */
  note: z.string().nullable(),
  /**
   * The appends kept as deltas after the base log, in order (fleet-workspace-delta.ts): each its
   * record's number and readings. Empty when the base log holds everything.
   */
  deltas: z.array(z.object({ seq: z.number().int().nonnegative(), readings: z.number().int().nonnegative() })),
});
export type WorkspaceMeta = z.infer<typeof workspaceMetaSchema>;

/**
 * Migrations from older schemas, by the version they read. Schema 1 kept the whole log in one
 * record, no deltas. Schema 2 kept the base log's columns as typed arrays in the record, where
 * schema 3 packs them in one Blob (packLog); a schema-2 base log is read as it is.
 */
const migrations: Record<number, (old: Record<string, unknown>) => unknown> = {
  1: (old) => ({ ...old, schema: 2, deltas: [] }),
  2: (old) => ({ ...old, schema: 3 }),
};

export type ReadResult<T> = { ok: true; value: T; migrated: boolean } | { ok: false; problem: string };

export function readMeta(raw: unknown): ReadResult<WorkspaceMeta> {
  let value = raw;
  let migrated = false;
  for (let guard = 0; guard < 10; guard++) {
    const v = (value as { schema?: unknown } | null)?.schema;
    if (typeof v !== 'number' || v >= WORKSPACE_SCHEMA || !migrations[v]) break;
    value = migrations[v]!(value as Record<string, unknown>);
    migrated = true;
  }
  const r = workspaceMetaSchema.safeParse(value);
  return r.success ? { ok: true, value: r.data, migrated } : { ok: false, problem: zodProblem(r.error) };
}

/** What a kept log and a delta hold per reading, beside their values: its column and type. */
const readingColumns = [
  ['day', Int32Array],
  ['label', Int8Array],
  ['line', Int32Array],
  ['source', Uint16Array],
  ['p1', Float32Array],
] as const;

/**
 * The columns a kept log and a delta share, checked: the device names, and per reading its day,
 * label, line, file and P(failure), and nIn values. Null when they hold; else the problem in
 * words, each column named after `prefix`.
 */
export function readingsProblem(x: Partial<Record<string, unknown>>, nIn: number, prefix: string): string | null {
  for (const [k, T] of [...readingColumns, ['values', Float64Array] as const]) if (!(x[k] instanceof T)) return `${prefix}${k} is not a ${T.name}`;
  if (!Array.isArray(x.entities) || !x.entities.every((e) => typeof e === 'string')) return `${prefix}entities is not a list of names`;
  const n = (x.day as Int32Array).length;
  for (const [k] of readingColumns) {
    const len = (x[k] as ArrayLike<number>).length;
    if (len !== n) return `${prefix}${k} has ${len} entries for ${n} readings`;
  }
  const values = x.values as Float64Array;
  return values.length === n * nIn ? null : `${prefix}values has ${values.length} numbers for ${n} readings of ${nIn}`;
}

/** The typed arrays of a kept log, checked for type and length; a problem in words otherwise. */
export function readLog(raw: unknown, nIn: number): ReadResult<KeptLog> {
  const x = raw as Partial<Record<keyof KeptLog, unknown>> | null;
  if (!x || typeof x !== 'object') return { ok: false, problem: 'the log is missing' };
  if (!(x.entityStart instanceof Int32Array)) return { ok: false, problem: 'log.entityStart is not a Int32Array' };
  const problem = readingsProblem(x, nIn, 'log.');
  if (problem) return { ok: false, problem };
  const log = x as KeptLog;
  if (log.entityStart.length !== log.entities.length + 1 || log.entityStart[log.entities.length] !== log.day.length)
    return { ok: false, problem: 'log.entityStart does not match the readings' };
  return { ok: true, value: log, migrated: false };
}

/**
 * The readings' columns of a packed log, in the order of its bytes: the widest first, so that each
 * column starts aligned for its type and is read as a view of the bytes, without a copy.
 */
const packedColumns = [
  ['values', Float64Array],
  ['day', Int32Array],
  ['line', Int32Array],
  ['p1', Float32Array],
  ['source', Uint16Array],
  ['label', Int8Array],
] as const;

/**
 * A base log as kept since schema 3: the device names and runs as they are, the readings' columns
 * as one run of bytes (storage keeps them in a Blob: storage/fleet-workspace-store.ts), each
 * column `packedColumns` after the other.
 */
export interface PackedLog<Bytes> {
  entities: string[];
  entityStart: Int32Array;
  readings: number;
  columns: Bytes;
}

/** A kept log's columns in the order of its packed bytes. */
export const packedParts = (log: KeptLog): ArrayBufferView<ArrayBuffer>[] => packedColumns.map(([k]) => log[k] as ArrayBufferView<ArrayBuffer>);

/** Bytes a packed log of n readings of nIn inputs holds. */
export const packedBytes = (n: number, nIn: number) =>
  packedColumns.reduce((s, [k, T]) => s + (k === 'values' ? n * nIn : n) * T.BYTES_PER_ELEMENT, 0);

/** A packed log's columns as views of its bytes, checked as any kept log (readLog); a problem in words otherwise. */
export function unpackLog(
  raw: { entities?: unknown; entityStart?: unknown; readings?: unknown },
  bytes: ArrayBuffer,
  nIn: number,
): ReadResult<KeptLog> {
  const n = raw.readings;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return { ok: false, problem: 'log.readings is not a count of readings' };
  const columns = packedColumnsOf(bytes, n, nIn);
  if (!columns)
    return {
      ok: false,
      problem: `the log's columns hold ${bytes.byteLength} bytes, where ${n} readings of ${nIn} counters take ${packedBytes(n, nIn)}`,
    };
  return readLog({ entities: raw.entities, entityStart: raw.entityStart, ...columns }, nIn);
}

/** The columns of n packed readings of nIn inputs, as views of `bytes`; null when the bytes are not that many. */
export function packedColumnsOf(bytes: ArrayBuffer, n: number, nIn: number): Record<(typeof packedColumns)[number][0], ArrayBufferView> | null {
  if (bytes.byteLength !== packedBytes(n, nIn)) return null;
  const columns: Partial<Record<(typeof packedColumns)[number][0], ArrayBufferView>> = {};
  let at = 0;
  for (const [k, T] of packedColumns) {
    const len = k === 'values' ? n * nIn : n;
    columns[k] = new T(bytes, at, len);
    at += len * T.BYTES_PER_ELEMENT;
  }
  return columns as Record<(typeof packedColumns)[number][0], ArrayBufferView>;
}

export const inspectionRecordSchema = z.object({
  schema: z.literal(INSPECTION_SCHEMA),
  id: z.string().min(1),
  domain: z.string().min(1),
  entity: z.string().min(1),
  date: z.string().refine((d) => parseIsoDay(d) !== null, 'not a calendar date YYYY-MM-DD'),
  outcome: z.string().min(1),
  note: z.string(),
  recordedAt: z.string(),
});
export type InspectionRecord = z.infer<typeof inspectionRecordSchema>;

export function toInspection(r: InspectionRecord): Inspection {
  return { entity: r.entity, day: parseIsoDay(r.date)!, outcome: r.outcome, note: r.note };
}

export type { UnreadableRecord };

/** Valid inspection records by date, and the others named with what is wrong (kept, not dropped). */
export function readInspections(entries: readonly [string, unknown][]): { records: InspectionRecord[]; unreadable: UnreadableRecord[] } {
  const { records, unreadable } = partitionRecords(entries, inspectionRecordSchema);
  records.sort((a, b) => a.date.localeCompare(b.date) || a.recordedAt.localeCompare(b.recordedAt));
  return { records, unreadable };
}

/** The kept log as a CSV (date, entity, label when known, inputs): what an export carries and an import loads. */
export function logToCsv(log: KeptLog, meta: Pick<WorkspaceMeta, 'inputs' | 'labelColumn' | 'columns'>): string {
  const nIn = meta.inputs.length;
  const lines = [[meta.columns.date, meta.columns.entity, ...(meta.labelColumn ? [meta.labelColumn] : []), ...meta.inputs].join(',')];
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (let e = 0; e < log.entities.length; e++) {
    const name = quote(log.entities[e]!);
    for (let i = log.entityStart[e]!; i < log.entityStart[e + 1]!; i++) {
      const cells = [formatIsoDay(log.day[i]!), name];
      if (meta.labelColumn) cells.push(String(Math.max(0, log.label[i]!)));
      for (let j = 0; j < nIn; j++) cells.push(String(log.values[i * nIn + j]!));
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export const workspaceExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  schema: z.literal(EXPORT_SCHEMA),
  exportedAt: z.string(),
  domain: z.string().min(1),
  meta: z.unknown(),
  /** The kept readings as a CSV log; an import loads it as a file is loaded. */
  logCsv: z.string(),
  inspections: z.array(z.unknown()),
  /** Records that could not be read, exported as they were. */
  unreadable: z.array(z.object({ key: z.string(), problem: z.string(), raw: z.unknown() })),
});
export type WorkspaceExport = z.infer<typeof workspaceExportSchema>;

export function parseWorkspaceExport(text: string): { ok: true; value: WorkspaceExport } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'This file is not a Prognos workspace export (it is not JSON).' };
  }
  const r = workspaceExportSchema.safeParse(json);
  if (!r.success) {
    const format = (json as { format?: unknown } | null)?.format;
    return {
      ok: false,
      message:
        format === EXPORT_FORMAT
          ? `This workspace export cannot be read: ${zodProblem(r.error)}.`
          : 'This file is not a Prognos workspace export (no "format": "prognos-fleet-workspace").',
    };
  }
  return { ok: true, value: r.data };
}
