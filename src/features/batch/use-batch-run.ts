import { startTransition } from 'react';
import type { CsvReading } from '@/domain/csv/stream';
import type { EvaluationReport } from '@/domain/metrics';
import type { BatchProgress, BatchSession, FileReading, Inference, JobStatus } from '@/inference/client';
import { followJob, renderPacer, RENDER_EVERY_MS, useJobRun } from '@/inference/use-job-run';

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
      status: JobStatus;
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
      status: JobStatus;
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

/** Progress renders while a file is scored: the one interval of every job (use-job-run.ts). */
export { RENDER_EVERY_MS };
/** Rows listed in the table at most (its layout work grows with its length); the download has all. */
export const TABLE_ROWS_MAX = 200_000;

/**
 * Read a session's events into the reducer, keeping the main thread's work small while the
 * workers score (the bench checks that no main-thread task takes over 50 ms):
 * - progress re-renders every RENDER_EVERY_MS at most, as an interruptible transition;
 * - at the end, the summary renders first, then the table in a transition;
 * - the evaluation renders in a transition too (its charts are staged one per task, CurvesPanel).
 */
export function followSession(session: BatchSession, dispatch: (a: BatchAction) => void, now = () => performance.now()): Promise<void> {
  const due = renderPacer(now);
  return followJob(
    session,
    (ev) => {
      switch (ev.type) {
        case 'header':
          dispatch({
            type: 'header',
            session,
            header: { columns: ev.columns, columnCount: ev.columnCount, hasLabel: ev.hasLabel, ...(ev.reading ? { reading: ev.reading } : {}) },
          });
          break;
        case 'refused':
          dispatch({ type: 'refused', session, message: ev.message });
          break;
        case 'progress': {
          if (!due()) break;
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
    },
    (message) => dispatch({ type: 'failed', session, message }),
  );
}

const openBatch = (inference: Inference, file: File, modelId: string, reading?: FileReading) =>
  inference.scoreFile(file, modelId, reading ? { reading } : {});

/** One batch run at a time: a new file replaces the previous run (stopped and released). */
export function useBatchRun(): { run: BatchRun; start: (file: File, modelId: string, reading?: FileReading) => void; cancel: () => void } {
  return useJobRun(batchRunReducer, idleRun, openBatch, followSession);
}
