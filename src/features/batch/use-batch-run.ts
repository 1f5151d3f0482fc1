import { errorMessage } from '@/domain/errors';
import { startTransition, useCallback, useEffect, useReducer, useRef } from 'react';
import type { CsvReading } from '@/domain/csv/stream';
import type { EvaluationReport } from '@/domain/metrics';
import type { BatchProgress, BatchSession, FileReading } from '@/inference/client';

import { useInference } from '@/inference/use-inference';

export interface BatchHeader {
  /** The first column names (at most COLUMNS_SHOWN); `columnCount` counts them all. */
  columns: string[];
  columnCount: number;
  hasLabel: boolean;
  /** How the file was read (format, delimiter, units), for the summary. */
  reading?: CsvReading;
}

/** What every phase after `start` knows: its session (file, rows, download), and how many rows the table shows. */
interface Started {
  session: BatchSession;
  fileName: string;
  header: BatchHeader | null;
  /** Rows the table shows: set in transitions, so the summary never waits for the table. */
  shown: number;
}

export type BatchRun =
  | { phase: 'idle' }
  | (Started & { phase: 'running'; progress: BatchProgress | null })
  | (Started & { phase: 'refused'; message: string })
  | (Started & { phase: 'failed'; message: string })
  | (Started & {
      phase: 'finished';
      status: 'done' | 'cancelled' | 'failed';
      message: string | null;
      progress: BatchProgress;
      /** True from the summary until the evaluation arrives. */
      evaluating: boolean;
      evaluation: EvaluationReport | null;
    });

export type FinishedRun = Extract<BatchRun, { phase: 'finished' }>;

/** Every action but `start` names its session: one from a run that was replaced is ignored. */
export type BatchAction =
  | { type: 'start'; session: BatchSession; fileName: string }
  | { type: 'header'; session: BatchSession; header: BatchHeader }
  | { type: 'progress'; session: BatchSession; progress: BatchProgress; shown: number }
  | { type: 'refused'; session: BatchSession; message: string }
  | {
      type: 'done';
      session: BatchSession;
      status: 'done' | 'cancelled' | 'failed';
      message: string | null;
      progress: BatchProgress;
      evaluating: boolean;
    }
  | { type: 'show'; session: BatchSession; shown: number }
  | { type: 'evaluation'; session: BatchSession; evaluation: EvaluationReport }
  | { type: 'failed'; session: BatchSession; message: string };

export const idleRun: BatchRun = { phase: 'idle' };

/** The batch view's run state: pure, so that its transitions are tested without a browser. */
export function batchRunReducer(state: BatchRun, action: BatchAction): BatchRun {
  if (action.type === 'start') {
    return { phase: 'running', session: action.session, fileName: action.fileName, header: null, shown: 0, progress: null };
  }
  if (state.phase === 'idle' || state.session !== action.session) return state;
  const started: Started = { session: state.session, fileName: state.fileName, header: state.header, shown: state.shown };
  switch (action.type) {
    case 'header':
      return { ...state, header: action.header };
    case 'progress':
      return state.phase === 'running' ? { ...state, progress: action.progress, shown: action.shown } : state;
    case 'refused':
      return state.phase === 'running' ? { ...started, phase: 'refused', message: action.message } : state;
    case 'done':
      if (state.phase !== 'running') return state;
      return {
        ...started,
        phase: 'finished',
        status: action.status,
        message: action.message,
        progress: action.progress,
        evaluating: action.evaluating,
        evaluation: null,
      };
    case 'show':
      return { ...state, shown: action.shown };
    case 'evaluation':
      return state.phase === 'finished' ? { ...state, evaluating: false, evaluation: action.evaluation } : state;
    case 'failed':
      return state.phase === 'running' || state.phase === 'finished' ? { ...started, phase: 'failed', message: action.message } : state;
  }
}

/** Progress renders while a file is scored: each costs the main thread a few ms of a core the workers could use. */
export const RENDER_EVERY_MS = 400;
/** Rows listed in the table at most (its layout work grows with its length); the download has all. */
export const TABLE_ROWS_MAX = 200_000;

/**
 * Read a session's events into the reducer, keeping the main thread's work small while the
 * workers score (the bench checks that no main-thread task takes over 50 ms):
 * - progress re-renders every RENDER_EVERY_MS at most, as an interruptible transition;
 * - at the end, the summary renders first, then the table in a transition;
 * - the evaluation renders in a transition too (its charts are staged one per task, CurvesPanel).
 */
export async function followSession(session: BatchSession, dispatch: (a: BatchAction) => void, now = () => performance.now()): Promise<void> {
  // The first update too waits a render interval: a file that scores within it costs the
  // page one render, at the end, and leaves the cores to the workers meanwhile.
  let lastRender = now();
  try {
    for await (const ev of session) {
      switch (ev.type) {
        case 'header':
          dispatch({ type: 'header', session, header: { columns: ev.columns, columnCount: ev.columnCount, hasLabel: ev.hasLabel, ...(ev.reading ? { reading: ev.reading } : {}) } });
          break;
        case 'refused':
          dispatch({ type: 'refused', session, message: ev.message });
          break;
        case 'progress': {
          const t = now();
          if (t - lastRender < RENDER_EVERY_MS) break;
          lastRender = t;
          // While scoring, the table holds the rows with cells at most: its cost grows with its length.
          const shown = Math.min(session.rows.length, session.rows.cellsKept);
          startTransition(() => dispatch({ type: 'progress', session, progress: ev.progress, shown }));
          break;
        }
        case 'done': {
          dispatch({ type: 'done', session, status: ev.status, message: ev.message, progress: ev.progress, evaluating: ev.evaluating });
          const shown = Math.min(session.rows.length, TABLE_ROWS_MAX);
          startTransition(() => dispatch({ type: 'show', session, shown }));
          break;
        }
        case 'evaluation': {
          const evaluation = ev.evaluation;
          startTransition(() => dispatch({ type: 'evaluation', session, evaluation }));
          break;
        }
      }
    }
  } catch (e) {
    dispatch({ type: 'failed', session, message: errorMessage(e) });
  }
}

/** One batch run at a time: a new file replaces the previous run (stopped and released). */
export function useBatchRun(): { run: BatchRun; start: (file: File, modelId: string, reading?: FileReading) => void; cancel: () => void } {
  const inference = useInference();
  const [run, dispatch] = useReducer(batchRunReducer, idleRun);
  const current = useRef<{ session: BatchSession; ac: AbortController } | null>(null);

  // Leaving the view: the run stops and the worker drops its results.
  useEffect(
    () => () => {
      current.current?.session.release();
      current.current = null;
    },
    [],
  );

  const start = useCallback(
    (file: File, modelId: string, reading?: FileReading) => {
      current.current?.session.release();
      const ac = new AbortController();
      const session = inference.scoreFile(file, modelId, { signal: ac.signal, ...(reading ? { reading } : {}) });
      current.current = { session, ac };
      dispatch({ type: 'start', session, fileName: file.name });
      void followSession(session, dispatch);
    },
    [inference],
  );

  // Cancel: the worker stops reading; the rows read so far are still reported and downloadable.
  const cancel = useCallback(() => current.current?.ac.abort(), []);

  return { run, start, cancel };
}
