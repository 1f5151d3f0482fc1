// The saved predictions against an in-memory IndexedDB (fake-indexeddb): add, list newest first,
// change a reference, delete one, clear; broken records are skipped, not shown.
import 'fake-indexeddb/auto';
import { set, createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import type { SavedPrediction } from '@/domain/saved-prediction';
import {
  addRecord,
  clearRecords,
  deleteRecord,
  listKept,
  listRecords,
  requestReopen,
  setReference,
  subscribeSaved,
  takeReopen,
} from './saved-predictions';

const record = (id: string, created: string, reference: string): SavedPrediction => ({
  id,
  created,
  domain: 'heart',
  reference,
  model: { id: 'heart-baseline', version: '1.0.0', sha256: 'a'.repeat(64) },
  threshold: 0.374,
  threshold_changed: false,
  probability: 0.42,
  class: 'dead',
  inputs: { age: 70, ejection_fraction: 25, serum_creatinine: 1.8 },
  units: { age: 'years', ejection_fraction: '%', serum_creatinine: 'mg/dL' },
  entered: { number_format: 'decimal point (1.5)', units: {} },
});

describe('history store (IndexedDB through idb-keyval)', () => {
  it('adds, lists newest first, renames, deletes and clears, telling listeners each time', async () => {
    let heard = 0;
    const off = subscribeSaved(() => heard++);
    await clearRecords();
    await addRecord(record('a', '2026-01-01T10:00:00.000Z', 'P-1'));
    await addRecord(record('b', '2026-01-02T10:00:00.000Z', 'P-2'));
    expect((await listRecords()).map((r) => r.id)).toEqual(['b', 'a']);
    await setReference('a', 'P-1 renamed');
    expect((await listRecords()).find((r) => r.id === 'a')?.reference).toBe('P-1 renamed');
    await deleteRecord('b');
    expect((await listRecords()).map((r) => r.id)).toEqual(['a']);
    await clearRecords();
    expect(await listRecords()).toEqual([]);
    off();
    expect(heard).toBe(6);
  });

  it('lists the valid records apart from stored values that are not records, which are named and kept', async () => {
    await clearRecords();
    await set('junk', { hello: 1 }, createStore('prognos-history', 'records'));
    await addRecord(record('c', '2026-01-03T10:00:00.000Z', 'P-3'));
    expect((await listRecords()).map((r) => r.id)).toEqual(['c']);
    // Four corrupted records no longer vanish: each is counted and named with its problem.
    for (const k of ['x1', 'x2', 'x3'])
      await set(k, { ...record(k, 'not a date', 'P'), probability: 'high' }, createStore('prognos-history', 'records'));
    const kept = await listKept();
    expect(kept.records.map((r) => r.id)).toEqual(['c']);
    expect(kept.unreadable.map((u) => u.key).sort()).toEqual(['junk', 'x1', 'x2', 'x3']);
    expect(kept.unreadable.find((u) => u.key === 'x1')!.problem).toMatch(/probability/);
    await deleteRecord('junk');
    expect((await listKept()).unreadable).toHaveLength(3);
  });

  it('hands a record to re-open to its own domain once', () => {
    requestReopen(record('d', '2026-01-04T10:00:00.000Z', 'P-4'));
    expect(takeReopen('device')).toBeNull();
    expect(takeReopen('heart')?.id).toBe('d');
    expect(takeReopen('heart')).toBeNull();
  });
});
