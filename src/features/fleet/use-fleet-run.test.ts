import { describe, expect, it } from 'vitest';
import type { FleetEvent, FleetSession } from '@/inference/client';
import { fleetRunReducer, followFleet, idleFleet, type FleetAction, type FleetRun } from './use-fleet-run';

const progress = (rowsRead: number) => ({
  stage: 'reading' as const,
  rowsRead,
  rowsRejected: 0,
  rowsScored: 0,
  bytesRead: 0,
  totalBytes: 1,
  elapsedMs: 0,
});
const err = (line: number) => ({ line, column: 'date', value: 'x', message: `Line ${line}: date "x" is not an ISO date` });

function fakeSession(events: FleetEvent[], fail?: Error): FleetSession {
  return {
    file: new Blob([]),
    modelId: 'm',
    ask: () => Promise.reject(new Error('not here')),
    cancel: () => undefined,
    release: () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const e of events) yield e;
      if (fail) throw fail;
    },
  };
}

async function follow(events: FleetEvent[], fail?: Error): Promise<FleetRun> {
  const session = fakeSession(events, fail);
  let state = fleetRunReducer(idleFleet, { type: 'start', session, fileName: 'log.csv' });
  let t = 0;
  await followFleet(
    session,
    (a: FleetAction) => (state = fleetRunReducer(state, a)),
    () => (t += 1000),
  );
  return state;
}

describe('fleet run state', () => {
  it('keeps every rejected row reported, including those in the last events before done', async () => {
    const summary = { rowsRead: 3 } as never;
    const s = await follow([
      { type: 'progress', progress: progress(1), rejected: [err(2)] },
      { type: 'progress', progress: progress(2), rejected: [err(3)] },
      { type: 'done', status: 'done', message: null, summary },
    ]);
    expect(s.phase).toBe('ready');
    if (s.phase === 'ready') {
      expect(s.errors.map((e) => e.line)).toEqual([2, 3]);
      expect(s.summary).toBe(summary);
    }
  });

  it('a refusal, a cancel and a worker failure are phases with words', async () => {
    expect(await follow([{ type: 'refused', message: 'needs a column "date"', missing: ['date'] }])).toMatchObject({
      phase: 'refused',
      message: 'needs a column "date"',
    });
    expect(await follow([{ type: 'done', status: 'cancelled', message: null, summary: null }])).toMatchObject({
      phase: 'stopped',
      status: 'cancelled',
    });
    expect(await follow([], new Error('The inference worker failed: boom'))).toMatchObject({
      phase: 'failed',
      message: 'The inference worker failed: boom',
    });
  });

  it('ignores actions of a replaced run', () => {
    const a = fakeSession([]);
    const b = fakeSession([]);
    let s = fleetRunReducer(idleFleet, { type: 'start', session: a, fileName: 'a.csv' });
    s = fleetRunReducer(s, { type: 'start', session: b, fileName: 'b.csv' });
    s = fleetRunReducer(s, { type: 'refused', session: a, message: 'old' });
    expect(s).toMatchObject({ phase: 'running', fileName: 'b.csv' });
  });
});
