// The workspace and inspection stores against an in-memory IndexedDB (fake-indexeddb): typed
// arrays survive a round trip, a corrupted record is reported (not dropped), a full disk leaves
// what was kept, inspections that do not validate are kept and named.
import 'fake-indexeddb/auto';
import { createStore, delMany, set } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { assembleFleetArrays } from '@/domain/fleet';
import { emptyLog, mergeLog } from '@/domain/fleet-workspace';
import type { WorkspaceMeta } from '@/domain/fleet-workspace-record';
import { parseIsoDay } from '@/domain/history';
import { deleteWorkspace, logBytes, readWorkspace, readWorkspaceMeta, withWorkspaceLock, writeWorkspace } from './fleet-workspace-store';
import { addInspections, deleteInspection, listInspections } from './inspection-store';

// A full disk, on demand: the next setMany rejects as IndexedDB does when the quota is reached.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('idb-keyval', async (importOriginal) => {
  const m = await importOriginal<typeof import('idb-keyval')>();
  return {
    ...m,
    setMany: (...a: Parameters<typeof m.setMany>) => (disk.full ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : m.setMany(...a)),
  };
});

const days = [16436, 16437, 16436];
const log = mergeLog(
  emptyLog(),
  { fleet: assembleFleetArrays(['A', 'B'], [0, 0, 1], days, [2, 3, 4]), day: days, label: [0, 1, 0], line: [2, 3, 4], values: [1, 2, 3, 4, 5, 6] },
  2,
  0,
).log;
log.p1.set([0.1, 0.2, 0.3]);
const meta: WorkspaceMeta = {
  schema: 1,
  domain: 'device',
  model: { id: 'device-fleet', version: 'v1', sha256: 'ab' },
  inputs: ['m1', 'm2'],
  labelColumn: 'failure',
  columns: { entity: 'device', date: 'date' },
  files: [{ name: 'a.csv', bytes: 10, at: 'now', rowsRead: 3, added: 3, replaced: 0, rejected: 0, setAside: 0 }],
  readings: 3,
  devices: 2,
  updatedAt: 'now',
  note: null,
};

describe('fleet workspace store', () => {
  it('keeps nothing until written, then the same arrays', async () => {
    expect(await readWorkspace('device')).toEqual({ state: 'none' });
    expect(await writeWorkspace('device', meta, log)).toEqual({ ok: true });
    const back = await readWorkspace('device');
    expect(back.state).toBe('ok');
    if (back.state !== 'ok') return;
    expect(back.meta).toEqual(meta);
    expect(back.log.values).toEqual(log.values);
    expect(back.log.p1).toBeInstanceOf(Float32Array);
    expect(Array.from(back.log.p1)).toEqual(Array.from(log.p1));
    expect(logBytes(back.log)).toBe(logBytes(log));
  });

  it('reports a corrupted record, naming what is wrong, and keeps it', async () => {
    await set('device:log', { ...log, day: [1, 2, 3] }, createStore('prognos-fleet-workspace', 'workspace'));
    const r = await readWorkspace('device');
    expect(r).toEqual({ state: 'unreadable', problem: 'its readings (log.day is not a Int32Array)', meta });
    expect((await readWorkspace('device')).state).toBe('unreadable');
    await writeWorkspace('device', meta, log);
  });

  it('a full disk leaves what was kept, with a sentence', async () => {
    disk.full = true;
    const r = await writeWorkspace('device', { ...meta, readings: 99 }, log);
    disk.full = false;
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(/^This browser has no room left to keep the workspace .* What was kept before is unchanged/),
    });
    const back = await readWorkspace('device');
    expect(back.state === 'ok' && back.meta.readings).toBe(3);
  });

  it('runs writers one at a time under the lock', async () => {
    const order: string[] = [];
    await Promise.all([
      withWorkspaceLock('device', async () => {
        order.push('a<');
        await new Promise((r) => setTimeout(r, 20));
        order.push('a>');
      }),
      withWorkspaceLock('device', async () => {
        order.push('b<');
        order.push('b>');
      }),
    ]);
    expect(order.join('')).toMatch(/^(a<a>b<b>|b<b>a<a>)$/);
  });

  it('tells the page what is kept from the description alone, and names readings without one', async () => {
    expect(await readWorkspaceMeta('device')).toEqual({ state: 'ok', meta });
    await delMany(['device:meta'], createStore('prognos-fleet-workspace', 'workspace'));
    expect(await readWorkspaceMeta('device')).toEqual({ state: 'unreadable', problem: 'its description is missing' });
    await writeWorkspace('device', meta, log);
  });

  it('deletes it', async () => {
    await deleteWorkspace('device');
    expect(await readWorkspace('device')).toEqual({ state: 'none' });
  });
});

describe('inspection store', () => {
  it('adds, lists by date, keeps an unreadable record with its problem, deletes', async () => {
    await addInspections('device', [
      { entity: 'B', day: parseIsoDay('2015-02-01')!, outcome: 'fixed', note: '' },
      { entity: 'A', day: parseIsoDay('2015-01-01')!, outcome: 'nothing_found', note: 'ok' },
    ]);
    await set('broken', { schema: 0, entity: 'C' }, createStore('prognos-inspections', 'records'));
    const kept = await listInspections('device');
    expect(kept.records.map((r) => [r.entity, r.date, r.outcome])).toEqual([
      ['A', '2015-01-01', 'nothing_found'],
      ['B', '2015-02-01', 'fixed'],
    ]);
    expect(kept.unreadable).toEqual([{ key: 'broken', problem: expect.stringContaining('schema'), raw: { schema: 0, entity: 'C' } }]);
    await deleteInspection('broken');
    await deleteInspection(kept.records[0]!.id);
    const after = await listInspections('device');
    expect(after.unreadable).toEqual([]);
    expect(after.records.map((r) => r.entity)).toEqual(['B']);
  });
});
