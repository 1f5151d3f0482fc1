import { clear, createStore, del, set, update, values, type UseStore } from 'idb-keyval';
import { validRecords, type HistoryRecord } from '@/domain/history-record';

/**
 * The local history: records in this browser's IndexedDB (idb-keyval), never sent anywhere.
 * Opt-in: the switch is kept in localStorage and is off unless the person turned it on.
 * Listeners hear every change so that open views refresh.
 */

const ENABLED_KEY = 'prognos.history.enabled';
let store: UseStore | null = null;
const db = () => (store ??= createStore('prognos-history', 'records'));
const listeners = new Set<() => void>();
const notify = () => {
  for (const fn of listeners) fn();
};

export function subscribeHistory(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function historyEnabled(): boolean {
  try {
    return window.localStorage.getItem(ENABLED_KEY) === 'on';
  } catch {
    return false;
  }
}

export function setHistoryEnabled(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(ENABLED_KEY, 'on');
    else window.localStorage.removeItem(ENABLED_KEY);
  } catch {
    // storage blocked: the history stays off
  }
  notify();
}

export async function listRecords(): Promise<HistoryRecord[]> {
  return validRecords(await values(db()));
}

export async function addRecord(r: HistoryRecord): Promise<void> {
  await set(r.id, r, db());
  notify();
}

/** Change the reference of a stored record (typed after the prediction). */
export async function setReference(id: string, reference: string): Promise<void> {
  await update<HistoryRecord | undefined>(id, (r) => (r ? { ...r, reference } : r), db());
  notify();
}

export async function deleteRecord(id: string): Promise<void> {
  await del(id, db());
  notify();
}

export async function clearRecords(): Promise<void> {
  await clear(db());
  notify();
}

export function newRecordId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

// A record the History view asked to re-open, taken once by its domain's form.
let pending: HistoryRecord | null = null;
export function requestReopen(r: HistoryRecord): void {
  pending = r;
}
export function takeReopen(domain: string): HistoryRecord | null {
  if (pending?.domain !== domain) return null;
  const r = pending;
  pending = null;
  return r;
}
