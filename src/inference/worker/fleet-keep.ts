import { rankDays, type DayRanking } from '@/domain/day-ranking';
import { emptyLog, type KeptLog } from '@/domain/fleet-workspace';
import { WORKSPACE_SCHEMA, type AppendedFile, type WorkspaceMeta } from '@/domain/fleet-workspace-record';
import type { ModelEntry } from '@/domain/manifest';
import type { KeepInfo, KeepMode } from '@/inference/protocol';
import { logBytes, readWorkspace, readWorkspaceMeta, subscribeWorkspace, withWorkspaceLock, writeWorkspace } from '@/storage/fleet-workspace-store';
import { dropRoom, makeRoomFor, ROOM_AFTER_READ_MS, ROOM_AFTER_WRITE_MS } from './log-room';

/**
 * The worker's side of the kept fleet workspace: what an append starts from, and the record it
 * writes back. Reads and writes happen under the workspace's lock (the caller holds it).
 */

export type Base = { ok: true; log: KeptLog; meta: WorkspaceMeta | null; rescoreAll: boolean; note: string | null } | { ok: false; message: string };

const sameModel = (meta: WorkspaceMeta, model: ModelEntry) => meta.model.id === model.id && meta.model.sha256 === model.sha256;

export function modelNote(meta: WorkspaceMeta, model: ModelEntry): string {
  return `The workspace was scored by ${meta.model.id} ${meta.model.version}; every kept reading was rescored by ${model.id} ${model.version}.`;
}

/**
 * The log this worker last wrote or read, with the stamp of that write: an append starts from it
 * when the kept description still carries that stamp (no other tab wrote since), instead of
 * reading the whole log back from IndexedDB.
 */
let last: { domain: string; meta: WorkspaceMeta; log: KeptLog } | null = null;
/** Stops hearing the remembered domain's changes. */
let unhear: (() => void) | null = null;

/** `read`: the log was read back (a page opening on it: its list comes first), not written by this worker. */
export function remember(domain: string, meta: WorkspaceMeta, log: KeptLog, read = false): void {
  if (last?.domain !== domain) hear(domain);
  last = { domain, meta, log };
  makeRoomFor(log, meta.inputs.length, read ? ROOM_AFTER_READ_MS : ROOM_AFTER_WRITE_MS);
}

/**
 * A change of the kept workspace after this worker's last write (the page deleted it, another
 * tab appended): what this worker remembers is no longer what is kept, so the log and the room
 * made for its next append are let go (about two logs' columns; a list shown keeps its own
 * reference to its log). This worker's own writes announce the stamp it remembers, or an older
 * one when it heard them late. Only memory depends on this: readKept checks the stamp anyway.
 */
function hear(domain: string): void {
  unhear?.();
  unhear = subscribeWorkspace(domain, (stamp) => {
    if (last?.domain === domain && (stamp === 'deleted' || stamp > last.meta.updatedAt)) forgetKept();
  });
}

/** A new worker (a new visit) remembers nothing: what is kept is read from IndexedDB. */
export function forgetKept(): void {
  last = null;
  unhear?.();
  unhear = null;
  dropRoom();
}

/** The same kept records: the same stamp and the same deltas (a compaction keeps the stamp, not the records). */
const sameRecords = (a: WorkspaceMeta, b: WorkspaceMeta) =>
  a.updatedAt === b.updatedAt && a.deltas.length === b.deltas.length && a.deltas.every((d, i) => d.seq === b.deltas[i]!.seq);

/**
 * The ranking of each log this worker holds (day-ranking.ts), made when it was ranked or read
 * ahead: an open lists from it, an append ranks from it. A log whose P(failure) is rescored in
 * place drops it first (dropRanking).
 */
const rankings = new WeakMap<KeptLog, DayRanking>();

export const knownRanking = (log: KeptLog): DayRanking | undefined => rankings.get(log);

export function keepRanking(log: KeptLog, ranking: DayRanking): void {
  rankings.set(log, ranking);
}

export function dropRanking(log: KeptLog): void {
  rankings.delete(log);
}

/** The kept workspace: the one this worker last wrote or read while it still carries the kept stamp, else read (and remembered). */
export async function readKept(domain: string) {
  const described = await readWorkspaceMeta(domain);
  if (described.state === 'ok' && last?.domain === domain && sameRecords(last.meta, described.meta)) {
    return { state: 'ok' as const, meta: last.meta, log: last.log };
  }
  const kept = await readWorkspace(domain);
  if (kept.state === 'ok') remember(domain, kept.meta, kept.log, true);
  return kept;
}

/**
 * The kept workspace read ahead, under its lock, when the page opens on it (the worker's load
 * says so): the open then finds it remembered, if no tab wrote since, instead of waiting for the
 * page to be drawn before reading it. Never rejects: the open reads again and names a problem.
 */
export function readKeptEarly(domain: string): Promise<void> {
  return withWorkspaceLock(domain, async () => {
    const kept = await readKept(domain);
    // Ranked ahead too (by P alone: no model is needed), so that the open lists it at once.
    if (kept.state === 'ok' && !rankings.has(kept.log)) rankings.set(kept.log, rankDays(kept.log.day, kept.log.p1));
  }).then(
    () => undefined,
    () => undefined,
  );
}

/** What a file is merged into: nothing (a new workspace, or none kept), or the kept log. */
export async function appendBase(domain: string, model: ModelEntry, inputs: readonly string[], mode: KeepMode): Promise<Base> {
  if (mode !== 'append') return { ok: true, log: emptyLog(), meta: null, rescoreAll: false, note: null };
  const kept = await readKept(domain);
  if (kept.state === 'none') return { ok: true, log: emptyLog(), meta: null, rescoreAll: false, note: null };
  if (kept.state === 'unreadable') {
    return {
      ok: false,
      message: `The fleet workspace kept in this browser cannot be read: ${kept.problem}. It is kept as it is; export or delete it before appending.`,
    };
  }
  if (kept.meta.inputs.join() !== inputs.join()) {
    return {
      ok: false,
      message: `The kept workspace holds the counters ${kept.meta.inputs.join(', ')}, and this app now reads ${inputs.join(', ')}: export it and load the export as a new workspace.`,
    };
  }
  const rescoreAll = !sameModel(kept.meta, model);
  return { ok: true, log: kept.log, meta: kept.meta, rescoreAll, note: rescoreAll ? modelNote(kept.meta, model) : null };
}

export async function saveKept(
  domain: string,
  model: ModelEntry,
  inputs: readonly string[],
  log: KeptLog,
  prev: WorkspaceMeta | null,
  file: AppendedFile,
  columns: { entity: string; date: string; label: string | null },
  note: string | null,
  /** The positions the append changed, when it merged into the kept log scored by this model (else the whole log is written). */
  changed: Int32Array | null,
): Promise<KeepInfo> {
  const meta: WorkspaceMeta = {
    schema: WORKSPACE_SCHEMA,
    domain,
    model: { id: model.id, version: model.version, sha256: model.sha256 },
    inputs: [...inputs],
    labelColumn: prev?.labelColumn ?? columns.label,
    columns: prev?.columns ?? { entity: columns.entity, date: columns.date },
    files: [...(prev?.files ?? []), file],
    readings: log.day.length,
    devices: log.entities.length,
    updatedAt: new Date().toISOString(),
    note,
    deltas: prev?.deltas ?? [],
  };
  return writeKept(domain, meta, log, prev ? changed : null);
}

export async function writeKept(domain: string, meta: WorkspaceMeta, log: KeptLog, changed: Int32Array | null = null): Promise<KeepInfo> {
  const r = await writeWorkspace(domain, meta, log, changed);
  if (r.ok) remember(domain, r.meta, log);
  if (r.ok && r.meta.deltas.length > 0) compactLater(domain);
  return {
    saved: r.ok,
    problem: r.ok ? null : r.message,
    readings: meta.readings,
    devices: meta.devices,
    bytes: logBytes(log),
    files: meta.files,
    note: meta.note,
    updatedAt: meta.updatedAt,
  };
}

/** How long the worker waits after an append kept as a delta before it writes the whole log as the base. */
export const COMPACT_AFTER_MS = 1000;
let compaction: ReturnType<typeof setTimeout> | null = null;

/**
 * After an append kept as a delta, and a moment without another: the whole log this worker holds
 * is written as the new base, so that the next visit reads one record instead of merging the
 * deltas in, and the append itself did not wait for the whole log to be written. Only while no
 * tab wrote since (the kept records are the ones this worker remembers); the stamp stays, as
 * nothing a user sees changed. A page closed before it leaves the deltas, read as they are.
 */
function compactLater(domain: string): void {
  if (compaction) clearTimeout(compaction);
  compaction = setTimeout(() => {
    compaction = null;
    void compactKept(domain).catch(() => undefined);
  }, COMPACT_AFTER_MS);
}

/** The compaction itself, under the workspace's lock: true when the whole log was written as the base. */
export function compactKept(domain: string): Promise<boolean> {
  return withWorkspaceLock(domain, async () => {
    const described = await readWorkspaceMeta(domain);
    const held = last;
    if (described.state !== 'ok' || held?.domain !== domain || held.meta.deltas.length === 0 || !sameRecords(held.meta, described.meta)) return false;
    const r = await writeWorkspace(domain, held.meta, held.log, null, { quiet: true });
    if (r.ok) remember(domain, r.meta, held.log);
    return r.ok;
  });
}
