import { startTransition } from 'react';
import type { BatchRowError, FleetProgress, FleetSession, FleetSummary, Inference, JobStatus, KeepMode } from '@/inference/client';
import { followJob, renderPacer, useJobRun } from '@/inference/use-job-run';

interface Started {
  session: FleetSession;
  fileName: string;
  /** Rejected rows listed so far (the worker caps the list; the counts include every one). */
  errors: BatchRowError[];
}

export type FleetRun =
  | { phase: 'idle' }
  | (Started & { phase: 'running'; progress: FleetProgress | null })
  | (Started & { phase: 'refused'; message: string })
  | (Started & { phase: 'failed'; message: string })
  | (Started & { phase: 'stopped'; status: 'cancelled' | 'failed'; message: string | null })
  | (Started & { phase: 'ready'; summary: FleetSummary; progress: FleetProgress | null });

export type FleetAction =
  | { type: 'start'; session: FleetSession; fileName: string }
  | { type: 'progress'; session: FleetSession; progress: FleetProgress; rejected: BatchRowError[] }
  | { type: 'refused'; session: FleetSession; message: string }
  | {
      type: 'done';
      session: FleetSession;
      status: JobStatus;
      message: string | null;
      summary: FleetSummary | null;
      /** Rejected rows reported since the last render. */
      rejected: BatchRowError[];
    }
  | { type: 'failed'; session: FleetSession; message: string };

export const idleFleet: FleetRun = { phase: 'idle' };

/** The Fleet view's run state, pure: an action from a replaced run is ignored. */
export function fleetRunReducer(state: FleetRun, a: FleetAction): FleetRun {
  if (a.type === 'start') return { phase: 'running', session: a.session, fileName: a.fileName, errors: [], progress: null };
  if (state.phase === 'idle' || state.session !== a.session) return state;
  const started: Started = { session: state.session, fileName: state.fileName, errors: state.errors };
  switch (a.type) {
    case 'progress':
      if (state.phase !== 'running') return state;
      return { ...state, progress: a.progress, errors: a.rejected.length ? [...state.errors, ...a.rejected] : state.errors };
    case 'refused':
      return { ...started, phase: 'refused', message: a.message };
    case 'done':
      started.errors = a.rejected.length ? [...state.errors, ...a.rejected] : state.errors;
      if (a.status === 'done' && a.summary) {
        return { ...started, phase: 'ready', summary: a.summary, progress: state.phase === 'running' ? state.progress : null };
      }
      return { ...started, phase: 'stopped', status: a.status === 'done' ? 'failed' : a.status, message: a.message };
    case 'failed':
      return { ...started, phase: 'failed', message: a.message };
  }
}

/** Reads a fleet job's events: progress at the one render pace (the last reading's always), rejected rows gathered in between. */
export function followFleet(session: FleetSession, dispatch: (a: FleetAction) => void, now = () => performance.now()): Promise<void> {
  const due = renderPacer(now);
  let errors: BatchRowError[] = [];
  return followJob(
    session,
    (ev) => {
      if (ev.type === 'progress') {
        errors = errors.concat(ev.rejected);
        if (!due(ev.progress.stage === 'done')) return;
        const rejected = errors;
        errors = [];
        startTransition(() => dispatch({ type: 'progress', session, progress: ev.progress, rejected }));
      } else if (ev.type === 'refused') dispatch({ type: 'refused', session, message: ev.message });
      else {
        dispatch({ type: 'done', session, status: ev.status, message: ev.message, summary: ev.summary, rejected: errors });
        errors = [];
      }
    },
    (message) => dispatch({ type: 'failed', session, message }),
  );
}

/** How a run treats the workspace kept in this browser: not at all, a new one, append to it, or open it (no file read). */
export type FleetStart = KeepMode | 'open';

const openLog = (inference: Inference, file: File, modelId: string, how: FleetStart) =>
  how === 'open' ? inference.openFleet(null, modelId) : inference.openFleet(file, modelId, { keep: how });

/** The name a run shows when it opens the kept workspace rather than a file. */
export const KEPT_WORKSPACE = 'The fleet workspace kept in this browser';

/** One log at a time: a new file replaces the previous one (released in the worker). */
export function useFleetRun(): { run: FleetRun; start: (file: File, modelId: string, how: FleetStart) => void; cancel: () => void } {
  return useJobRun(fleetRunReducer, idleFleet, openLog, followFleet);
}
