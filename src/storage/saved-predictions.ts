import { clear, createStore, del, entries, set, update, values, type UseStore } from 'idb-keyval';
import type { UnreadableRecord } from '@/domain/kept-records';
import type { SavedPrediction } from '@/domain/saved-prediction';

/**
 * The saved predictions: records in this browser's IndexedDB (idb-keyval), never sent anywhere.
 * Opt-in: the switch is kept in localStorage and is off unless the person turned it on.
 * Listeners hear every change so that open views refresh.
 */

// Keys and database names predate the word "saved predictions": kept, so what a browser holds still opens.
const ENABLED_KEY = 'prognos.history.enabled';
let store: UseStore | null = null;
const db = () => (store ??= createStore('prognos-history', 'records'));
const listeners = new Set<() => void>();
const notify = () => {
  for (const fn of listeners) fn();
};

/** The kept records' schema: loaded when they are read back, not with the form that keeps them. */
const recordSchema = () => import('@/domain/saved-prediction');

export function subscribeSaved(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function savingEnabled(): boolean {
  try {
    return window.localStorage.getItem(ENABLED_KEY) === 'on';
  } catch {
    return false;
  }
}

export function setSavingEnabled(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(ENABLED_KEY, 'on');
    else window.localStorage.removeItem(ENABLED_KEY);
  } catch {
    // storage blocked: saving stays off
  }
  notify();
}

export async function listRecords(): Promise<SavedPrediction[]> {
  const [{ validRecords }, stored] = await Promise.all([recordSchema(), values(db())]);
  return validRecords(stored);
}

/** Every kept value: the valid records, and those that could not be read (named, kept). */
export async function listKept(): Promise<{ records: SavedPrediction[]; unreadable: UnreadableRecord[] }> {
  const [{ readSavedRecords }, stored] = await Promise.all([recordSchema(), entries<IDBValidKey, unknown>(db())]);
  return readSavedRecords(stored.map(([k, v]) => [String(k), v]));
}

export async function addRecord(r: SavedPrediction): Promise<void> {
  await set(r.id, r, db());
  notify();
}

/** Change the reference of a stored record (typed after the prediction). */
export async function setReference(id: string, reference: string): Promise<void> {
  await update<SavedPrediction | undefined>(id, (r) => (r ? { ...r, reference } : r), db());
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

export { newRecordId } from './record-id';

// A saved prediction the saved-predictions view (titled History) asked to re-open, taken once by its domain's form.
let pending: SavedPrediction | null = null;
export function requestReopen(r: SavedPrediction): void {
  pending = r;
}
export function takeReopen(domain: string): SavedPrediction | null {
  if (pending?.domain !== domain) return null;
  const r = pending;
  pending = null;
  return r;
}
