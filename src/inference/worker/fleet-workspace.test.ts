// The kept fleet workspace through the worker's own path, with the real device-fleet model in
// onnxruntime-web and an in-memory IndexedDB: a log loaded in two files, the second appended,
// gives the probabilities and day lists of one load of both; reopening lists without scoring;
// another model version rescores with a note; a workspace that cannot be read is not overwritten.
import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatIsoDay, historyInputs } from '@/domain/history';
import type { FleetSummary, FromWorker, KeepMode } from '@/inference/protocol';
import { deleteWorkspace, readWorkspace, writeWorkspace } from '@/storage/fleet-workspace-store';
import { device, engine, fleetModel } from '@/test/worker-models';
import { COMPACT_AFTER_MS, compactKept, forgetKept, readKeptEarly } from './fleet-keep';
import { openKeptFleet } from './fleet-open';
import { answerFleet } from './fleet-queries';
import { runFleet, type FleetData } from './fleet-run';
import { ROOM_AFTER_WRITE_MS, roomFor, takeRoom } from './log-room';

const inputs = historyInputs(device.history!);

/** 8 devices over 40 days; device D3's counters climb from day 25. Seeded. */
function rows(): string[] {
  let s = 12345;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let d = 0; d < 40; d++) {
    for (let e = 0; e < 8; e++) {
      if (rand() < 0.1) continue;
      const climb = e === 3 && d >= 25 ? (d - 24) * 40 : 0;
      const cells = inputs.map((_, j) => String(j === 0 ? Math.floor(rand() * 2.4e8) : Math.floor(rand() * 5) + climb));
      out.push([formatIsoDay(16436 + d), `D${e}`, '0', ...cells].join(','));
    }
  }
  return out;
}
const header = ['date', 'device', 'failure', ...inputs].join(',');
const file = (lines: string[], name: string) => new File([[header, ...lines].join('\n') + '\n'], name, { type: 'text/csv' });

async function load(f: File | null, keep: KeepMode, m = fleetModel) {
  const msgs: FromWorker[] = [];
  const opts = { id: 1, post: (x: FromWorker) => msgs.push(x), signal: new AbortController().signal, keep };
  // A reopen asks for the engine only to score again: it can open before the sessions exist.
  let engineAsked = 0;
  const asked = () => (engineAsked++, Promise.resolve(engine));
  const data = f ? await runFleet(engine, m, device, f, opts) : await openKeptFleet(asked, m, device, opts);
  const done = msgs.find((x) => x.type === 'fleet-done') as Extract<FromWorker, { type: 'fleet-done' }> | undefined;
  const refused = msgs.find((x) => x.type === 'fleet-refused') as Extract<FromWorker, { type: 'fleet-refused' }> | undefined;
  return { data, summary: done?.summary as FleetSummary | undefined, refused, engineAsked };
}

// The day's list without file lines (an appended reading's line is in its own file).
const top = (d: FleetData | null, day: number | null = null) =>
  (answerFleet(d!, { kind: 'day', day, k: 3 }) as { devices: { line: number }[] }).devices.map(({ line: _line, ...rest }) => rest);

describe('the fleet workspace in the worker', () => {
  beforeEach(() => {
    forgetKept();
    return deleteWorkspace('device');
  });

  it('append equals one load, counts add up, and a reopen lists without scoring', async () => {
    const all = rows();
    const cut = all.findIndex((r) => r.startsWith(formatIsoDay(16436 + 39)));
    // A late row: a day-10 reading of D5 arrives with the last day, replacing the kept one.
    const late = all.find((r) => r.startsWith(`${formatIsoDay(16436 + 10)},D5,`))!.replace(/,(\d+)$/, ',99');
    const whole = await load(file([...all, late], 'whole.csv'), 'none');

    const first = await load(file(all.slice(0, cut), 'first.csv'), 'new');
    expect(first.summary!.workspace).toMatchObject({ saved: true, readings: cut, files: [{ name: 'first.csv', added: cut }] });
    const second = await load(file([...all.slice(cut), late], 'day-40.csv'), 'append');
    const s = second.summary!;
    expect(s.merge.added + s.merge.replaced + s.rowsRejected + s.duplicates).toBe(s.rowsRead);
    expect(s.merge.replaced).toBe(1);
    expect(s.merge.replacedList[0]).toMatchObject({ entity: 'D5', day: 16436 + 10 });
    // Only the new day's readings and D5's readings from day 10 on were scored.
    const d5Later = all.filter((r) => r.includes(',D5,') && r >= formatIsoDay(16436 + 10)).length;
    expect(s.merge.scored).toBe(all.length - cut + d5Later - 1);
    expect(s.workspace!.files.map((f) => f.name)).toEqual(['first.csv', 'day-40.csv']);

    expect(Array.from(second.data!.fleet.c.p1)).toEqual(Array.from(whole.data!.fleet.c.p1));
    expect(top(second.data)).toEqual(top(whole.data));

    const reopened = await load(null, 'none');
    expect(reopened.summary).toMatchObject({ rowsRead: 0, merge: { scored: 0 }, workspace: { readings: whole.data!.fleet.c.day.length } });
    expect(top(reopened.data)).toEqual(top(whole.data));
    expect(reopened.engineAsked).toBe(0);

    // A new visit reads the first file's log and the append's delta from storage, merged: the same.
    const kept = await readWorkspace('device');
    expect(kept.state === 'ok' && kept.meta.deltas).toEqual([{ seq: 0, readings: s.merge.scored }]);
    forgetKept();
    const visit = await load(null, 'none');
    expect(Array.from(visit.data!.fleet.c.p1)).toEqual(Array.from(whole.data!.fleet.c.p1));
    expect(top(visit.data)).toEqual(top(whole.data));
  });

  it('an append kept as a delta is written whole as the base a moment later, with the same readings and stamp', async () => {
    const all = rows();
    const cut = all.findIndex((r) => r.startsWith(formatIsoDay(16436 + 39)));
    await load(file(all.slice(0, cut), 'first.csv'), 'new');
    const second = await load(file(all.slice(cut), 'day-40.csv'), 'append');
    const before = await readWorkspace('device');
    expect(before.state === 'ok' && before.meta.deltas.length).toBe(1);
    await vi.waitFor(
      async () => {
        const after = await readWorkspace('device');
        expect(after.state === 'ok' && after.meta.deltas).toEqual([]);
      },
      { timeout: COMPACT_AFTER_MS + 3000, interval: 100 },
    );
    const after = await readWorkspace('device');
    if (after.state !== 'ok' || before.state !== 'ok') throw new Error('not kept');
    expect(after.meta.updatedAt).toBe(before.meta.updatedAt);
    expect(Array.from(after.log.p1)).toEqual(Array.from(second.data!.fleet.c.p1));
    // Nothing left to compact; a reopen in this worker uses what it holds.
    expect(await compactKept('device')).toBe(false);
    expect(top((await load(null, 'none')).data)).toEqual(top(second.data));
  });

  it('does not compact once another tab has written: what that tab wrote stays', async () => {
    const all = rows();
    const cut = all.findIndex((r) => r.startsWith(formatIsoDay(16436 + 39)));
    await load(file(all.slice(0, 100), 'other-tab.csv'), 'new');
    const other = await readWorkspace('device');
    if (other.state !== 'ok') throw new Error('not kept');
    await load(file(all.slice(0, cut), 'first.csv'), 'new');
    await load(file(all.slice(cut), 'day-40.csv'), 'append');
    // Before the compaction runs, the other tab writes its log (through storage alone, with a new
    // stamp; its announcement not heard yet, so this worker still holds its own log).
    const stamp = new Date(Date.now() + 1000).toISOString();
    await writeWorkspace('device', { ...other.meta, updatedAt: stamp }, other.log, null, { quiet: true });
    expect(await compactKept('device')).toBe(false);
    const after = await readWorkspace('device');
    expect(after.state === 'ok' && [after.meta.updatedAt, after.log.day.length, after.meta.files.map((f) => f.name)]).toEqual([
      stamp,
      100,
      ['other-tab.csv'],
    ]);
  });

  it('rescores a workspace scored by another model version, and says so', async () => {
    await load(file(rows(), 'a.csv'), 'new');
    const older = { ...fleetModel, version: '0.9', sha256: 'f'.repeat(64) };
    await load(file(rows().slice(0, 5), 'b.csv'), 'append', older);
    // The kept probabilities differ from the new model's (reversed here); a new visit reads and
    // ranks them ahead, and the rescored log must not list by that ranking.
    const before = await readWorkspace('device');
    if (before.state !== 'ok') throw new Error('not kept');
    await writeWorkspace('device', before.meta, { ...before.log, p1: before.log.p1.slice().reverse() });
    forgetKept();
    await readKeptEarly('device');
    const r = await load(null, 'none');
    const fresh = await load(file(rows(), 'same.csv'), 'none');
    expect(top(r.data)).toEqual(top(fresh.data));
    expect(r.summary!.workspace!.note).toBe(
      `The workspace was scored by ${fleetModel.id} 0.9; every kept reading was rescored by ${fleetModel.id} ${fleetModel.version}.`,
    );
    expect(r.summary!.merge.scored).toBe(r.data!.fleet.c.day.length);
    expect(r.engineAsked).toBe(1);
    const kept = await readWorkspace('device');
    expect(kept.state === 'ok' && kept.meta.model.version).toBe(fleetModel.version);
  });

  it('does not append to, nor overwrite, a workspace it cannot read', async () => {
    await load(file(rows(), 'a.csv'), 'new');
    await set('device:log', { broken: true }, createStore('prognos-fleet-workspace', 'workspace'));
    forgetKept(); // a new visit: this worker holds no copy of what was kept
    const r = await load(file(rows().slice(0, 3), 'b.csv'), 'append');
    expect(r.refused!.message).toMatch(
      /^The fleet workspace kept in this browser cannot be read: its readings \(log\.entityStart is not a Int32Array\)\. It is kept as it is/,
    );
    expect((await readWorkspace('device')).state).toBe('unreadable');
    expect((await load(null, 'none')).refused!.message).toMatch(/cannot be read/);
  });
  it('a page opening on the kept fleet: the read made ahead (readKeptEarly) is what the open uses, while no tab wrote since', async () => {
    const all = rows();
    await load(file(all, 'log.csv'), 'new');
    forgetKept(); // a new visit: its worker remembers nothing
    await readKeptEarly('device');
    // The readings vanish from storage behind the worker's back, the description (its stamp) stays:
    // an open that read again would find them unreadable; the one read ahead opens.
    await set('device:log', { broken: true }, createStore('prognos-fleet-workspace', 'workspace'));
    const opened = await load(null, 'none');
    expect(opened.refused).toBeUndefined();
    expect(opened.summary!.workspace!.readings).toBe(all.length);
  });

  it('a read made ahead is not used once another tab has written the workspace: the open reads it again', async () => {
    const all = rows();
    const half = all.slice(0, 100);
    // What another tab will write: a shorter log, kept once to have its record.
    await load(file(half, 'other-tab.csv'), 'new');
    const other = await readWorkspace('device');
    if (other.state !== 'ok') throw new Error('the other log was not kept');
    await load(file(all, 'log.csv'), 'new');
    forgetKept();
    await readKeptEarly('device'); // this worker now remembers the whole log
    // The other tab writes, through storage alone, with a new stamp; its announcement not heard yet.
    await writeWorkspace('device', { ...other.meta, updatedAt: new Date(Date.now() + 1000).toISOString() }, other.log, null, { quiet: true });
    const opened = await load(null, 'none');
    expect(opened.summary!.workspace!.readings).toBe(half.length);
    expect(opened.summary!.workspace!.files.map((f) => f.name)).toEqual(['other-tab.csv']);
  });

  it('lets its kept log and the room made for it go when the workspace is deleted or another tab writes, not at its own writes', async () => {
    const all = rows();
    const cut = all.findIndex((r) => r.startsWith(formatIsoDay(16436 + 39)));
    const roomMade = () => new Promise((r) => setTimeout(r, ROOM_AFTER_WRITE_MS + 100));
    const roomOf = (n: number) => takeRoom(n, inputs.length);
    await load(file(all.slice(0, cut), 'first.csv'), 'new');
    await roomMade(); // this worker's own write was announced meanwhile, and heard
    expect(roomOf(cut)?.day.length).toBeGreaterThanOrEqual(cut);
    await load(file(all.slice(cut), 'day-40.csv'), 'append');
    await roomMade();
    await deleteWorkspace('device'); // what the page does
    await new Promise((r) => setTimeout(r, 50));
    expect(roomOf(cut)).toBeUndefined();

    await load(file(all.slice(0, cut), 'first.csv'), 'new');
    await roomMade();
    const other = await readWorkspace('device');
    if (other.state !== 'ok') throw new Error('not kept');
    await writeWorkspace('device', { ...other.meta, updatedAt: new Date(Date.now() + 1000).toISOString() }, other.log);
    await new Promise((r) => setTimeout(r, 50));
    expect(roomOf(cut)).toBeUndefined();
  });

  it('an append cancelled while it is scored leaves the kept log and its room as they were', async () => {
    const all = rows();
    const cut = all.findIndex((r) => r.startsWith(formatIsoDay(16436 + 39)));
    await load(file(all.slice(0, cut), 'first.csv'), 'new');
    await new Promise((r) => setTimeout(r, ROOM_AFTER_WRITE_MS + 100));
    const ctl = new AbortController();
    const msgs: FromWorker[] = [];
    const post = (x: FromWorker) => {
      msgs.push(x);
      if (x.type === 'fleet-progress' && x.progress.stage === 'scoring') ctl.abort();
    };
    expect(
      await runFleet(engine, fleetModel, device, file(all.slice(cut), 'day-40.csv'), { id: 2, post, signal: ctl.signal, keep: 'append' }),
    ).toBeNull();
    expect(msgs.at(-1)).toMatchObject({ type: 'fleet-done', status: 'cancelled' });
    const kept = await readWorkspace('device');
    if (kept.state !== 'ok') throw new Error('not kept');
    expect(kept.log.day.length).toBe(cut);
    // The room the merge took is the room again, at once (none is made anew without a kept log).
    expect(takeRoom(cut, inputs.length)?.day.length).toBe(roomFor(kept.log));
  });
});
