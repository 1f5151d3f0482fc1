import { createStore, delMany, get, getMany, keys as idbKeys, setMany, type UseStore } from 'idb-keyval';
import type { KeptLog } from '@/domain/fleet-workspace';
import { readLog, readMeta, type WorkspaceMeta } from '@/domain/fleet-workspace-record';

/**
 * The fleet workspace in this browser's IndexedDB (idb-keyval): one meta record and one record
 * of typed arrays per domain, written together in one transaction, so a write that fails (the
 * disk is full) leaves what was kept as it was. Runs in the inference worker, where the log is.
 * Writers take a Web Lock, so two tabs never interleave a read-modify-write, and announce each
 * change on a BroadcastChannel, so the other tab can offer to reload.
 */

let store: UseStore | null = null;
const db = () => (store ??= createStore('prognos-fleet-workspace', 'workspace'));
const keys = (domain: string) => [`${domain}:meta`, `${domain}:log`] as const;

export type KeptWorkspace =
  { state: 'none' } | { state: 'ok'; meta: WorkspaceMeta; log: KeptLog; migrated: boolean } | { state: 'unreadable'; problem: string; meta: unknown };

export async function readWorkspace(domain: string): Promise<KeptWorkspace> {
  const [rawMeta, rawLog] = await getMany(keys(domain) as unknown as string[], db());
  if (rawMeta === undefined && rawLog === undefined) return { state: 'none' };
  const meta = readMeta(rawMeta);
  if (!meta.ok) return { state: 'unreadable', problem: `its description (${meta.problem})`, meta: rawMeta };
  const log = readLog(rawLog, meta.value.inputs.length);
  if (!log.ok) return { state: 'unreadable', problem: `its readings (${log.problem})`, meta: rawMeta };
  return { state: 'ok', meta: meta.value, log: log.value, migrated: meta.migrated };
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
export async function readRaw(domain: string): Promise<{ meta: unknown; log: unknown }> {
  const [meta, log] = await getMany(keys(domain) as unknown as string[], db());
  return { meta, log };
}

export type WriteResult = { ok: true } | { ok: false; message: string };

const isQuota = (e: unknown) => e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');

export async function writeWorkspace(domain: string, meta: WorkspaceMeta, log: KeptLog): Promise<WriteResult> {
  const [m, l] = keys(domain);
  try {
    await setMany(
      [
        [m, meta],
        [l, log],
      ],
      db(),
    );
    announce(domain, meta.updatedAt);
    return { ok: true };
  } catch (e) {
    return {
      ok: false,
      message: isQuota(e)
        ? `This browser has no room left to keep the workspace (${formatBytes(logBytes(log))} needed). What was kept before is unchanged; free some space or delete other site data, then append again.`
        : `The workspace could not be saved (${e instanceof Error ? e.message : String(e)}). What was kept before is unchanged.`,
    };
  }
}

export async function deleteWorkspace(domain: string): Promise<void> {
  await delMany(keys(domain) as unknown as string[], db());
  announce(domain, 'deleted');
}

/** Bytes the kept readings take (the typed arrays and the device names). */
export function logBytes(log: KeptLog): number {
  let n = 0;
  for (const a of [log.entityStart, log.day, log.label, log.line, log.source, log.values, log.p1]) n += a.byteLength;
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
