// The workspace and inspection stores against an in-memory IndexedDB (fake-indexeddb): typed
// arrays survive a round trip, a corrupted record is reported (not dropped), a full disk leaves
// what was kept, inspections that do not validate are kept and named.
import 'fake-indexeddb/auto';
import { createStore, delMany, set } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { assembleFleetArrays } from '@/domain/fleet';
import { emptyLog, mergeLog, type KeptLog } from '@/domain/fleet-workspace';
import { packedBytes, packedParts, type WorkspaceMeta } from '@/domain/fleet-workspace-record';
import { parseIsoDay } from '@/domain/history';
import {
  deleteWorkspace,
  logBytes,
  MAX_DELTA_SHARE,
  MAX_DELTAS,
  readRaw,
  readWorkspace,
  readWorkspaceMeta,
  withWorkspaceLock,
  writeWorkspace,
} from './fleet-workspace-store';
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
  schema: 3,
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
  deltas: [],
};

describe('fleet workspace store', () => {
  it('keeps nothing until written, then the same arrays', async () => {
    expect(await readWorkspace('device')).toEqual({ state: 'none' });
    expect(await writeWorkspace('device', meta, log)).toEqual({ ok: true, meta });
    const back = await readWorkspace('device');
    expect(back.state).toBe('ok');
    if (back.state !== 'ok') return;
    expect(back.meta).toEqual(meta);
    expect(back.log.values).toEqual(log.values);
    expect(back.log.p1).toBeInstanceOf(Float32Array);
    expect(Array.from(back.log.p1)).toEqual(Array.from(log.p1));
    expect(logBytes(back.log)).toBe(logBytes(log));
  });

  it('keeps a log merged into a room (columns that are views of longer ones): the readings, not the room', async () => {
    const n = log.day.length;
    const room = {
      day: new Int32Array(n + 5).fill(-1),
      label: new Int8Array(n + 5).fill(-1),
      line: new Int32Array(n + 5).fill(-1),
      source: new Uint16Array(n + 5).fill(9),
      values: new Float64Array((n + 5) * 2).fill(-1),
      p1: new Float32Array(n + 5).fill(-1),
    };
    const { log: roomy } = mergeLog(
      emptyLog(),
      {
        fleet: assembleFleetArrays(['A', 'B'], [0, 0, 1], days, [2, 3, 4]),
        day: days,
        label: [0, 1, 0],
        line: [2, 3, 4],
        values: [1, 2, 3, 4, 5, 6],
      },
      2,
      0,
      () => room,
    );
    roomy.p1.set(log.p1);
    expect(roomy.values.buffer).toBe(room.values.buffer);
    await writeWorkspace('roomy', { ...meta, domain: 'roomy' }, roomy);
    const back = await readWorkspace('roomy');
    if (back.state !== 'ok') throw new Error(back.state);
    for (const k of ['entityStart', 'day', 'label', 'line', 'source', 'values', 'p1'] as const)
      expect(Array.from(back.log[k])).toEqual(Array.from(log[k]));
    expect(logBytes(back.log)).toBe(logBytes(log));
    await deleteWorkspace('roomy');
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

describe('fleet workspace store: appends kept as deltas', () => {
  const idb = () => createStore('prognos-fleet-workspace', 'workspace');
  /** A file of readings [device, day, line, m1, m2] merged into `into` and "scored" (P from its day, line and values). */
  function append(into: KeptLog, rows: [string, number, number, number, number][], source: number) {
    const names = [...new Set(rows.map((r) => r[0]))];
    const fleet = assembleFleetArrays(
      names,
      rows.map((r) => names.indexOf(r[0])),
      rows.map((r) => r[1]),
      rows.map((r) => r[2]),
    );
    const m = mergeLog(
      into,
      { fleet, day: rows.map((r) => r[1]), label: rows.map(() => 0), line: rows.map((r) => r[2]), values: rows.flatMap((r) => [r[3], r[4]]) },
      2,
      source,
    );
    for (const pos of m.dirty) m.log.p1[pos] = ((m.log.day[pos]! * 7 + m.log.line[pos]! + m.log.values[2 * pos]!) % 100) / 100;
    return m;
  }
  const D = 16436;

  it('writes an append as a delta, and reads back the same log bit for bit', async () => {
    await deleteWorkspace('device');
    // 60 days of A, B and C (C skips every third day): deltas stay small beside it.
    const rows: [string, number, number, number, number][] = [];
    for (let d = 0; d < 60; d++)
      for (const [j, e] of ['A', 'B', 'C'].entries()) if (e !== 'C' || d % 3) rows.push([e, D + d, rows.length + 2, d * j, d % 7]);
    const first = append(emptyLog(), rows, 0);
    const base = { ...meta, readings: first.log.day.length, devices: 3 };
    const w0 = await writeWorkspace('device', base, first.log, null);
    expect(w0.ok && w0.meta.deltas).toEqual([]);
    // A later day with a new device, then a corrected earlier reading of A (its later ones rescored).
    const second = append(
      first.log,
      [
        ['B', D + 60, 2, 7, 7],
        ['D', D + 60, 3, 8, 8],
        ['A', D + 60, 4, 9, 9],
      ],
      1,
    );
    const w1 = await writeWorkspace(
      'device',
      { ...base, readings: second.log.day.length, deltas: w0.ok ? w0.meta.deltas : [] },
      second.log,
      second.dirty,
    );
    expect(w1.ok && w1.meta.deltas).toEqual([{ seq: 0, readings: 3 }]);
    const third = append(second.log, [['A', D + 58, 9, 30, 30]], 2);
    expect(third.dirty.length).toBe(3);
    const w2 = await writeWorkspace(
      'device',
      { ...base, readings: third.log.day.length, deltas: w1.ok ? w1.meta.deltas : [] },
      third.log,
      third.dirty,
    );
    expect(w2.ok && w2.meta.deltas).toEqual([
      { seq: 0, readings: 3 },
      { seq: 1, readings: 3 },
    ]);
    // The base record is the first log still; the log read back is the third.
    const raw = await readRaw('device');
    // Exported as its columns (JSON carries typed arrays as numbers), not as the Blob it is kept in.
    expect((raw.log as { readings: number }).readings).toBe(first.log.day.length);
    expect(Array.from((raw.log as KeptLog).day)).toEqual(Array.from(first.log.day));
    expect(Object.keys(raw.deltas).sort()).toEqual(['device:delta:0', 'device:delta:1']);
    const back = await readWorkspace('device');
    expect(back.state).toBe('ok');
    if (back.state !== 'ok') return;
    for (const k of ['entityStart', 'day', 'label', 'line', 'source', 'values', 'p1'] as const)
      expect(Array.from(back.log[k])).toEqual(Array.from(third.log[k]));
    expect(back.log.entities).toEqual(third.log.entities);
  });

  it('writes the whole log again when the deltas grow, and deletes the old ones', async () => {
    const kept = await readWorkspace('device');
    if (kept.state !== 'ok') throw new Error('nothing kept');
    // B corrected from its second day on: every later reading of B rescored, more than MAX_DELTA_SHARE of the log.
    const next = append(
      kept.log,
      [
        ['B', D + 1, 2, 1, 1],
        ['E', D + 61, 3, 1, 1],
      ],
      3,
    );
    expect(next.dirty.length).toBeGreaterThan(MAX_DELTA_SHARE * next.log.day.length);
    const w = await writeWorkspace('device', { ...kept.meta, readings: next.log.day.length }, next.log, next.dirty);
    expect(w.ok && w.meta.deltas).toEqual([]);
    const raw = await readRaw('device');
    expect(raw.deltas).toEqual({});
    expect((raw.log as { readings: number }).readings).toBe(next.log.day.length);
    const back = await readWorkspace('device');
    expect(back.state === 'ok' && Array.from(back.log.p1)).toEqual(Array.from(next.log.p1));
  });

  it(`keeps at most ${MAX_DELTAS} deltas before writing the base again`, async () => {
    const kept = await readWorkspace('device');
    if (kept.state !== 'ok') throw new Error('nothing kept');
    let log = kept.log;
    let m = kept.meta;
    for (let i = 0; i <= MAX_DELTAS; i++) {
      const next = append(log, [['A', D + 62 + i, 2, i, i]], 4 + i);
      const w = await writeWorkspace('device', { ...m, readings: next.log.day.length }, next.log, next.dirty);
      if (!w.ok) throw new Error(w.message);
      expect(w.meta.deltas.length).toBe(i < MAX_DELTAS ? i + 1 : 0);
      [log, m] = [next.log, w.meta];
    }
    const back = await readWorkspace('device');
    expect(back.state === 'ok' && Array.from(back.log.day)).toEqual(Array.from(log.day));
  });

  it('names a missing delta, and leaves the workspace as it is', async () => {
    const kept = await readWorkspace('device');
    if (kept.state !== 'ok') throw new Error('nothing kept');
    const next = append(kept.log, [['B', D + 100, 2, 1, 1]], 40);
    const w = await writeWorkspace('device', { ...kept.meta, readings: next.log.day.length }, next.log, next.dirty);
    expect(w.ok && w.meta.deltas).toEqual([{ seq: 0, readings: 1 }]);
    const raw = await readRaw('device');
    await set('device:delta:0', { ...(raw.deltas['device:delta:0'] as object), entity: new Int32Array([7]) }, idb());
    const wrong = await readWorkspace('device');
    expect(wrong.state === 'unreadable' && wrong.problem).toBe('its readings (append 1 of 1: reading 0 names no device)');
    await delMany(['device:delta:0'], idb());
    const r = await readWorkspace('device');
    expect(r.state === 'unreadable' && r.problem).toBe('its readings (append 1 of 1: it is missing)');
  });

  it('reads a workspace kept by schema 1 (the whole log in one record)', async () => {
    await deleteWorkspace('device');
    const { deltas: _, ...old } = meta;
    await set('device:meta', { ...old, schema: 1 }, idb());
    await set('device:log', log, idb());
    const r = await readWorkspace('device');
    expect(r.state === 'ok' && [r.migrated, r.meta.deltas, r.meta.schema]).toEqual([true, [], 3]);
    await deleteWorkspace('device');
    expect(await readWorkspace('device')).toEqual({ state: 'none' });
  });

  it('reads a workspace kept by schema 2 (the base log as typed arrays), and writes the packed form from then on', async () => {
    await deleteWorkspace('device');
    await set('device:meta', { ...meta, schema: 2 }, idb());
    await set('device:log', log, idb());
    const r = await readWorkspace('device');
    if (r.state !== 'ok') throw new Error(r.state);
    expect(r.migrated).toBe(true);
    for (const k of ['entityStart', 'day', 'label', 'line', 'source', 'values', 'p1'] as const) expect(r.log[k]).toEqual(log[k]);
    await writeWorkspace('device', r.meta, r.log);
    const raw = (await readRaw('device')).log as KeptLog & { readings: number };
    expect([raw.readings, Array.from(raw.values)]).toEqual([3, Array.from(log.values)]);
  });

  it('names a packed log whose bytes do not match its readings, or cannot be read back, and keeps it', async () => {
    await writeWorkspace('device', meta, log);
    const bytes = new Uint8Array(await new Blob(packedParts(log)).arrayBuffer());
    expect(bytes.length).toBe(packedBytes(3, 2));
    const packed = { entities: log.entities, entityStart: log.entityStart, readings: 3 };
    await set('device:log', { ...packed, columns: new Blob([bytes.subarray(0, 20)]) }, idb());
    const short = await readWorkspace('device');
    expect(short.state === 'unreadable' && short.problem).toBe(
      "its readings (the log's columns hold 20 bytes, where 3 readings of 2 counters take 93)",
    );
    // Its export carries the bytes as they are kept: they cannot be cut into columns.
    expect(Array.from(((await readRaw('device')).log as { columns: Uint8Array }).columns)).toEqual(Array.from(bytes.subarray(0, 20)));
    await set('device:log', { ...packed, columns: new Blob([bytes]) }, idb());
    expect((await readWorkspace('device')).state).toBe('ok');
    const gone = vi.spyOn(Blob.prototype, 'arrayBuffer').mockRejectedValueOnce(new DOMException('The file is gone', 'NotReadableError'));
    const lost = await readWorkspace('device');
    gone.mockRestore();
    expect(lost.state === 'unreadable' && lost.problem).toBe("its readings (the log's columns cannot be read back (The file is gone))");
    expect((await readWorkspace('device')).state).toBe('ok');
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
