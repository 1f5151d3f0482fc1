import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '@/domain/metrics';
import type { BatchEvent, BatchProgress, BatchRows, BatchSession } from '@/inference/client';
import { batchRunReducer, followSession, idleRun, RENDER_EVERY_MS, TABLE_ROWS_MAX, type BatchAction, type BatchRun } from './use-batch-run';

function progress(rows: number): BatchProgress {
  return {
    rowsRead: rows,
    rowsScored: rows,
    rowsRejected: 0,
    bytesRead: rows,
    totalBytes: 1000,
    elapsedMs: rows,
    parseMs: 0,
    scoreMs: 0,
    waitMs: 0,
    helperRows: 0,
  };
}

/** A session that yields the given events; its rows report `length` (set by the test as it goes). */
function fakeSession(events: BatchEvent[] = [], opts: { length?: number; cellsKept?: number; fail?: string } = {}) {
  const rows = { length: opts.length ?? 0, cellsKept: opts.cellsKept ?? 20_000, errorsKept: 1000, errors: [] } as unknown as BatchRows;
  const session: BatchSession = {
    file: new Blob([]),
    modelId: 'm',
    rows,
    cancel: () => undefined,
    download: () => Promise.resolve(new Blob([])),
    release: () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const ev of events) yield ev;
      if (opts.fail) throw new Error(opts.fail);
    },
  };
  return session;
}

const evaluation = { n: 10 } as unknown as EvaluationReport;
const run = (state: BatchRun, ...actions: BatchAction[]) => actions.reduce(batchRunReducer, state);

describe('batchRunReducer', () => {
  it('idle -> running -> progress -> finished -> evaluation', () => {
    const s = fakeSession();
    let state = run(idleRun, { type: 'start', session: s, fileName: 'a.csv' });
    expect(state).toMatchObject({ phase: 'running', fileName: 'a.csv', header: null, progress: null, shown: 0 });
    state = run(state, { type: 'header', session: s, header: { columns: ['x', 'failure'], columnCount: 2, hasLabel: true } });
    state = run(state, { type: 'progress', session: s, progress: progress(100), shown: 100 });
    expect(state).toMatchObject({ phase: 'running', progress: progress(100), shown: 100, header: { columns: ['x', 'failure'] } });
    state = run(state, { type: 'done', session: s, status: 'done', message: null, progress: progress(250), evaluating: true });
    // The summary first: the table keeps its rows until the `show` that follows in a transition.
    expect(state).toMatchObject({ phase: 'finished', status: 'done', progress: progress(250), evaluating: true, evaluation: null, shown: 100 });
    state = run(state, { type: 'show', session: s, shown: 250 });
    expect(state).toMatchObject({ phase: 'finished', shown: 250 });
    state = run(state, { type: 'evaluation', session: s, evaluation });
    expect(state).toMatchObject({ phase: 'finished', evaluating: false, evaluation, shown: 250, header: { hasLabel: true } });
    expect(state.phase !== 'idle' && state.session).toBe(s);
  });

  it('cancel: the run finishes as cancelled with what was read, and later progress is ignored', () => {
    const s = fakeSession();
    let state = run(idleRun, { type: 'start', session: s, fileName: 'big.csv' }, { type: 'progress', session: s, progress: progress(10), shown: 10 });
    state = run(state, { type: 'done', session: s, status: 'cancelled', message: null, progress: progress(12), evaluating: false });
    const finished = run(state, { type: 'progress', session: s, progress: progress(99), shown: 99 });
    expect(finished).toBe(state);
    expect(finished).toMatchObject({ phase: 'finished', status: 'cancelled', progress: progress(12), evaluating: false });
  });

  it('a refused file and a failed run carry their message, and keep the file name and rows shown', () => {
    const s = fakeSession();
    const started = run(idleRun, { type: 'start', session: s, fileName: 'short.csv' });
    expect(run(started, { type: 'refused', session: s, message: 'missing metric4' })).toMatchObject({
      phase: 'refused',
      message: 'missing metric4',
      fileName: 'short.csv',
    });
    const failed = run(
      started,
      { type: 'progress', session: s, progress: progress(5), shown: 5 },
      { type: 'failed', session: s, message: 'worker crashed' },
    );
    expect(failed).toMatchObject({ phase: 'failed', message: 'worker crashed', shown: 5 });
    // An evaluation that fails after the summary fails the run too.
    const afterDone = run(
      started,
      { type: 'done', session: s, status: 'done', message: null, progress: progress(5), evaluating: true },
      { type: 'failed', session: s, message: 'evaluation failed' },
    );
    expect(afterDone).toMatchObject({ phase: 'failed', message: 'evaluation failed' });
  });

  it("a second file replaces the first: the first run's late events change nothing", () => {
    const first = fakeSession();
    const second = fakeSession();
    let state = run(
      idleRun,
      { type: 'start', session: first, fileName: 'one.csv' },
      { type: 'progress', session: first, progress: progress(50), shown: 50 },
    );
    state = run(state, { type: 'start', session: second, fileName: 'two.csv' });
    expect(state).toMatchObject({ phase: 'running', fileName: 'two.csv', progress: null, shown: 0, header: null });
    const late: BatchAction[] = [
      { type: 'header', session: first, header: { columns: ['a'], columnCount: 1, hasLabel: false } },
      { type: 'progress', session: first, progress: progress(60), shown: 60 },
      { type: 'done', session: first, status: 'cancelled', message: null, progress: progress(60), evaluating: false },
      { type: 'show', session: first, shown: 60 },
      { type: 'failed', session: first, message: 'x' },
    ];
    expect(run(state, ...late)).toBe(state);
  });

  it('ignores everything but start while idle', () => {
    const s = fakeSession();
    expect(run(idleRun, { type: 'progress', session: s, progress: progress(1), shown: 1 }, { type: 'evaluation', session: s, evaluation })).toBe(
      idleRun,
    );
  });
});

describe('followSession', () => {
  /** A clock the test moves: each reading of it advances by `step` ms. */
  const clock = (step: number) => {
    let t = 0;
    return () => (t += step);
  };

  it('renders progress every RENDER_EVERY_MS at most, the summary before the table, the evaluation last', async () => {
    const events: BatchEvent[] = [
      { type: 'header', columns: ['a'], columnCount: 1, hasLabel: true },
      ...Array.from({ length: 10 }, (_, i): BatchEvent => ({ type: 'progress', progress: progress((i + 1) * 10) })),
      { type: 'done', status: 'done', message: null, progress: progress(100), evaluating: true },
      { type: 'evaluation', evaluation },
    ];
    const s = fakeSession(events, { length: 100, cellsKept: 30 });
    const got: BatchAction[] = [];
    // 100 ms per clock reading: 10 chunks over 1 s give 2 progress renders, not 10.
    await followSession(s, (a) => got.push(a), clock(RENDER_EVERY_MS / 4));
    expect(got.map((a) => a.type)).toEqual(['header', 'progress', 'progress', 'done', 'show', 'evaluation']);
    // While scoring, the table holds the rows with cells at most; at the end, up to TABLE_ROWS_MAX.
    expect(got.filter((a) => a.type === 'progress').map((a) => (a as { shown: number }).shown)).toEqual([30, 30]);
    expect(got.find((a) => a.type === 'show')).toMatchObject({ shown: Math.min(100, TABLE_ROWS_MAX) });
    expect(got.every((a) => a.session === s)).toBe(true);
  });

  it('turns an error of the session into a failed run', async () => {
    const s = fakeSession([{ type: 'header', columns: ['a'], columnCount: 1, hasLabel: false }], {
      fail: 'The inference worker failed: out of memory',
    });
    const got: BatchAction[] = [];
    await followSession(s, (a) => got.push(a), clock(1));
    expect(got.at(-1)).toEqual({ type: 'failed', session: s, message: 'The inference worker failed: out of memory' });
  });
});
