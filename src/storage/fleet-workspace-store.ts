import { createStore, delMany, get, getMany, keys as idbKeys, setMany, type UseStore } from 'idb-keyval';
import type { KeptLog } from '@/domain/fleet-workspace';
import { applyDeltas, deltaOf, readDelta, type KeptDelta } from '@/domain/fleet-workspace-delta';
import {
  packedColumnsOf,
  packedParts,
  readLog,
  readMeta,
  unpackLog,
  type PackedLog,
  type ReadResult,
  type WorkspaceMeta,
} from '@/domain/fleet-workspace-record';

/**
 * The fleet workspace in this browser's IndexedDB (idb-keyval): per domain, one meta record, a
 * base log (its columns packed in a Blob: packLog), and the appends since as deltas
 * (fleet-workspace-delta.ts). A write
 * puts its records and the meta that lists them in one transaction, so a write that fails (the
 * disk is full) leaves what was kept as it was; the meta is what counts, a record it does not
 * list is left over and deleted later. Runs in the inference worker, where the log is. Writers
 * take a Web Lock, so two tabs never interleave a read-modify-write, and announce each change
 * on a BroadcastChannel, so the other tab can offer to reload.
 */

let store: UseStore | null = null;
const db = () => (store ??= createStore('prognos-fleet-workspace', 'workspace'));
const keys = (domain: string) => [`${domain}:meta`, `${domain}:log`] as const;
const deltaPrefix = (domain: string) => `${domain}:delta:`;
const deltaKey = (domain: string, seq: number) => `${deltaPrefix(domain)}${seq}`;

/**
 * An append is kept as a delta while the deltas stay few and small beside the base log; the
 * next write after that (or a new workspace, or a rescore of every reading) writes the whole log
 * as the new base. A daily append to a long log writes its day, and the whole log about once a month.
 */
export const MAX_DELTAS = 30;
export const MAX_DELTA_SHARE = 0.25;

export type KeptWorkspace =
  { state: 'none' } | { state: 'ok'; meta: WorkspaceMeta; log: KeptLog; migrated: boolean } | { state: 'unreadable'; problem: string; meta: unknown };

export async function readWorkspace(domain: string): Promise<KeptWorkspace> {
  const [rawMeta, rawLog] = await getMany(keys(domain) as unknown as string[], db());
  if (rawMeta === undefined && rawLog === undefined) return { state: 'none' };
  const meta = readMeta(rawMeta);
  if (!meta.ok) return { state: 'unreadable', problem: `its description (${meta.problem})`, meta: rawMeta };
  const nIn = meta.value.inputs.length;
  const log = await readBase(rawLog, nIn);
  if (!log.ok) return { state: 'unreadable', problem: `its readings (${log.problem})`, meta: rawMeta };
  const listed = meta.value.deltas;
  const rawDeltas = listed.length
    ? await getMany(
        listed.map((d) => deltaKey(domain, d.seq)),
        db(),
      )
    : [];
  const deltas: KeptDelta[] = [];
  for (const [i, raw] of rawDeltas.entries()) {
    const d = readDelta(raw, nIn);
    if (!d.ok) return { state: 'unreadable', problem: `its readings (append ${i + 1} of ${listed.length}: ${d.problem})`, meta: rawMeta };
    deltas.push(d.value);
  }
  const merged = applyDeltas(log.value, deltas, nIn);
  if (merged.day.length !== meta.value.readings) {
    return { state: 'unreadable', problem: `its readings (${merged.day.length} kept, its description says ${meta.value.readings})`, meta: rawMeta };
  }
  return { state: 'ok', meta: meta.value, log: merged, migrated: meta.migrated };
}

/**
 * The base log as kept since schema 3: its readings' columns in one Blob. IndexedDB keeps a Blob's
 * bytes as they are, where typed arrays in a record are serialised on the worker's thread when
 * written and again when read. A million readings kept (76 MB), in Chromium: the worker's thread
 * held for about 250 ms to write them and 300 ms to read them back as typed arrays; as a Blob,
 * 40-70 ms to build it, and 115-140 ms to read its bytes, mostly off the thread (docs/speed.md).
 */
function packLog(log: KeptLog): PackedLog<Blob> {
  return { entities: log.entities, entityStart: log.entityStart, readings: log.day.length, columns: new Blob(packedParts(log)) };
}

const isPacked = (raw: unknown): raw is PackedLog<Blob> =>
  typeof raw === 'object' && raw !== null && (raw as { columns?: unknown }).columns instanceof Blob;

/** The base log: packed (schema 3), its bytes read off the worker's thread, or typed arrays (schema 2). */
async function readBase(raw: unknown, nIn: number): Promise<ReadResult<KeptLog>> {
  if (!isPacked(raw)) return readLog(raw, nIn);
  let bytes: ArrayBuffer;
  try {
    bytes = await raw.columns.arrayBuffer();
  } catch (e) {
    return { ok: false, problem: `the log's columns cannot be read back (${e instanceof Error ? e.message : String(e)})` };
  }
  return unpackLog(raw, bytes, nIn);
}

/**
 * Whether a workspace is kept, and its description, without reading its readings: the page asks
 * this on the main thread, where loading a log of a million readings would be a long task.
 */
export async function readWorkspaceMeta(
  domain: string,
): Promise<{ state: 'none' } | { state: 'ok'; meta: WorkspaceMeta } | { state: 'unreadable'; problem: string }> {
  const [m, l] = keys(domain);
  const rawMeta = await get(m, db());
  if (rawMeta === undefined) {
    // No description: nothing kept, or readings without one (named, not hidden).
    return (await idbKeys(db())).includes(l) ? { state: 'unreadable', problem: 'its description is missing' } : { state: 'none' };
  }
  const meta = readMeta(rawMeta);
  return meta.ok ? { state: 'ok', meta: meta.value } : { state: 'unreadable', problem: `its description (${meta.problem})` };
}

/** A raw record for the export of an unreadable workspace: what is there, as it is. */
export async function readRaw(domain: string): Promise<{ meta: unknown; log: unknown; deltas: Record<string, unknown> }> {
  const [meta, log] = await getMany(keys(domain) as unknown as string[], db());
  const found = await deltaKeys(domain);
  const values = await getMany(found, db());
  const inputs = (meta as { inputs?: unknown } | undefined)?.inputs;
  const nIn = Array.isArray(inputs) ? inputs.length : null;
  return { meta, log: await rawBytes(log, nIn), deltas: Object.fromEntries(found.map((k, i) => [k, values[i]])) };
}

/**
 * A packed log as an export can carry it (JSON): its columns as typed arrays, as schema 2 kept
 * them, when its bytes are as many as its readings take; else the bytes as they are, or the
 * reason they cannot be read.
 */
async function rawBytes(log: unknown, nIn: number | null): Promise<unknown> {
  if (!isPacked(log)) return log;
  const { columns, ...rest } = log;
  let bytes: ArrayBuffer;
  try {
    bytes = await columns.arrayBuffer();
  } catch (e) {
    return { ...rest, columns: `not readable: ${e instanceof Error ? e.message : String(e)}` };
  }
  const split = nIn !== null && typeof rest.readings === 'number' ? packedColumnsOf(bytes, rest.readings, nIn) : null;
  return split ? { ...rest, ...split } : { ...rest, columns: new Uint8Array(bytes) };
}

export type WriteResult = { ok: true; meta: WorkspaceMeta } | { ok: false; message: string };

const isQuota = (e: unknown) => e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');

/**
 * Keep `log`, described by `meta`. `changed`: when `log` is the kept workspace with an append
 * merged in (and `meta.deltas` the kept list), its positions that the append changed (ascending):
 * they are written as a delta while MAX_DELTAS and MAX_DELTA_SHARE allow. Otherwise (null) the
 * whole log is written as the base. Resolves with the meta as written (its `deltas` list).
 */
export async function writeWorkspace(
  domain: string,
  meta: WorkspaceMeta,
  log: KeptLog,
  changed: Int32Array | null = null,
  /** quiet: the same readings in other records (a compaction): no tab is told of a change. */
  opts: { quiet?: boolean } = {},
): Promise<WriteResult> {
  const [m, l] = keys(domain);
  const kept = meta.deltas;
  const share = kept.reduce((s, d) => s + d.readings, 0) + (changed?.length ?? 0);
  const asDelta = changed !== null && kept.length < MAX_DELTAS && share <= MAX_DELTA_SHARE * log.day.length;
  const seq = (kept.at(-1)?.seq ?? -1) + 1;
  const written: WorkspaceMeta = { ...meta, deltas: asDelta ? [...kept, { seq, readings: changed.length }] : [] };
  const delta = asDelta ? deltaOf(log, changed, meta.inputs.length) : null;
  const record = delta ?? packLog(log);
  try {
    await setMany(
      [
        [m, written],
        [asDelta ? deltaKey(domain, seq) : l, record],
      ],
      db(),
    );
  } catch (e) {
    return {
      ok: false,
      message: isQuota(e)
        ? `This browser has no room left to keep the workspace (${formatBytes(logBytes(delta ?? log))} needed). What was kept before is unchanged; free some space or delete other site data, then append again.`
        : `The workspace could not be saved (${e instanceof Error ? e.message : String(e)}). What was kept before is unchanged.`,
    };
  }
  // A new base: the deltas of the old one are left over (listed nowhere), deleted now.
  if (!asDelta) await delMany(await deltaKeys(domain), db()).catch(() => undefined);
  if (!opts.quiet) announce(domain, meta.updatedAt);
  return { ok: true, meta: written };
}

/** Every delta record kept for the domain, listed or left over. */
async function deltaKeys(domain: string): Promise<string[]> {
  const prefix = deltaPrefix(domain);
  return (await idbKeys(db())).filter((k): k is string => typeof k === 'string' && k.startsWith(prefix));
}

export async function deleteWorkspace(domain: string): Promise<void> {
  await delMany([...keys(domain), ...(await deltaKeys(domain))], db());
  announce(domain, 'deleted');
}

/** Bytes a kept log or delta takes (its typed arrays and device names). */
export function logBytes(log: KeptLog | KeptDelta): number {
  let n = 0;
  for (const a of Object.values(log)) if (ArrayBuffer.isView(a)) n += a.byteLength;
  for (const e of log.entities) n += 2 * e.length;
  return n;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const localQueue = new Map<string, Promise<unknown>>();

/**
 * Run `fn` holding the workspace's lock: one writer at a time across tabs (Web Locks). Where
 * Web Locks are missing, writers in this realm still queue one behind the other.
 */
export async function withWorkspaceLock<T>(domain: string, fn: () => Promise<T>): Promise<T> {
  const name = `prognos-fleet-workspace:${domain}`;
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, { mode: 'exclusive' }, fn) as Promise<T>;
  const before = localQueue.get(name) ?? Promise.resolve();
  const run = before.then(fn, fn);
  localQueue.set(
    name,
    run.catch(() => undefined),
  );
  return run;
}

const channelName = (domain: string) => `prognos-fleet-workspace:${domain}`;

/** `stamp`: the written meta's updatedAt, or 'deleted', so that a page can tell its own write from another tab's. */
function announce(domain: string, stamp: string): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const c = new BroadcastChannel(channelName(domain));
  c.postMessage({ type: 'changed', stamp });
  c.close();
}

/** Hear every change to the domain's workspace (by this tab's worker or another tab), with its stamp. */
export function subscribeWorkspace(domain: string, fn: (stamp: string) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const c = new BroadcastChannel(channelName(domain));
  c.onmessage = (e: MessageEvent<{ stamp?: unknown }>) => fn(typeof e.data?.stamp === 'string' ? e.data.stamp : '');
  return () => c.close();
}
