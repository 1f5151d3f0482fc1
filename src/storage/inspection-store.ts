import { clear, createStore, del, entries, setMany, type UseStore } from 'idb-keyval';
import { INSPECTION_SCHEMA, readInspections, type InspectionRecord, type UnreadableRecord } from '@/domain/fleet-workspace-record';
import { formatIsoDay } from '@/domain/history';
import type { Inspection } from '@/domain/inspections';
import { newRecordId } from './record-id';

/**
 * Recorded inspections, in this browser's IndexedDB, one record each. A record that does not
 * validate (an older schema, a corrupted entry) is listed with its problem and kept until the
 * user deletes or exports it. Listeners in this page and other tabs hear every change.
 */

let store: UseStore | null = null;
const db = () => (store ??= createStore('prognos-inspections', 'records'));
const listeners = new Set<() => void>();
const CHANNEL = 'prognos-inspections';

function notify(): void {
  for (const fn of listeners) fn();
  if (typeof BroadcastChannel === 'undefined') return;
  const c = new BroadcastChannel(CHANNEL);
  c.postMessage('changed');
  c.close();
}

export function subscribeInspections(fn: () => void): () => void {
  listeners.add(fn);
  const c = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  if (c) c.onmessage = () => fn();
  return () => {
    listeners.delete(fn);
    c?.close();
  };
}

export interface KeptInspections {
  records: InspectionRecord[];
  unreadable: UnreadableRecord[];
}

export async function listInspections(domain: string): Promise<KeptInspections> {
  const all = readInspections((await entries<string, unknown>(db())).map(([k, v]) => [String(k), v]));
  return { records: all.records.filter((r) => r.domain === domain), unreadable: all.unreadable };
}

export async function addInspections(domain: string, list: readonly Inspection[]): Promise<void> {
  const at = new Date().toISOString();
  const records: [string, InspectionRecord][] = list.map((i) => {
    const id = newRecordId();
    return [
      id,
      { schema: INSPECTION_SCHEMA, id, domain, entity: i.entity, date: formatIsoDay(i.day), outcome: i.outcome, note: i.note, recordedAt: at },
    ];
  });
  await setMany(records, db());
  notify();
}

export async function deleteInspection(key: string): Promise<void> {
  await del(key, db());
  notify();
}

export async function clearInspections(): Promise<void> {
  await clear(db());
  notify();
}
