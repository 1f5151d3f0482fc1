import type { CsvReading, StreamOptions } from '@/domain/csv/stream';
import type { PolicyResult } from '@/domain/fleet-policy';
import type { DayList } from '@/domain/fleet-rank';
import type { DeviceTimeline, FleetEvaluation } from '@/domain/fleet-report';
import type { HistoryColumns, Replacement } from '@/domain/fleet-workspace';
import type { AppendedFile } from '@/domain/fleet-workspace-record';
import type { HistorySpec } from '@/domain/history';
import type { Inspection } from '@/domain/inspections';
import type { Manifest } from '@/domain/manifest';
import type { EvaluationReport } from '@/domain/metrics';
import type { Values } from '@/domain/to-vector';

/**
 * Every message that crosses a thread, as discriminated unions on `type`:
 *   page -> inference worker: ToWorker;      inference worker -> page: FromWorker
 *   page -> helper worker:    ToHelper       (its only message: what to load, where to serve)
 *   inference worker -> helper (on a MessagePort): ScoreRequest;  helper -> worker: ScoreReply
 * Only src/inference reads these: features get promises and typed batch events from the
 * client (client.ts, batch-session.ts). Type names on the wire are stable: the e2e tests and
 * the bench read `batch-chunk` and `batch-done` next to the app.
 */

export interface ModelPrediction {
  modelId: string;
  /** P(class 1) per row, in input order. */
  p1: Float32Array;
  /** The model's own label output (argmax, as scikit-learn's predict). */
  labels: Int32Array;
  /** Milliseconds spent in session.run for this model. */
  runMs: number;
}

/** How a job that ran ends (see job-channel.ts): read to the end, cancelled, or broken off. */
export type JobStatus = 'done' | 'cancelled' | 'failed';

export interface BatchRowError {
  line: number;
  column: string;
  value: string;
  message: string;
}

export interface BatchProgress {
  rowsRead: number;
  rowsScored: number;
  rowsRejected: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
  /** This worker's own time besides session.run and waiting for helpers: reading, parsing, checking, reporting. */
  parseMs: number;
  /** This worker's own session.run time. */
  scoreMs: number;
  /** This worker's time waiting for a helper's scores it needed next. */
  waitMs: number;
  /** Rows scored by helper workers (the rest were scored by this worker). */
  helperRows: number;
}

/** How the page asks for a file to be read: number format ('auto': from the delimiter) and units of unnamed columns. */
export type FileReading = Pick<StreamOptions, 'numberFormat' | 'units'>;

// ---- page -> inference worker ----

/** The message that starts a worker loading its models. */
export type LoadMessage = {
  type: 'load';
  manifestUrl: string;
  first?: string;
  /** The domain whose kept fleet the page opens on: the worker reads it at once (the page asks for it once drawn). */
  keptFleet?: string;
};

/**
 * The inference worker's name, carrying its load message: a worker reads its name the moment
 * its script runs, whereas a message posted before it started waits until the page's main
 * thread is free to pass it on (it is drawing the form then). `inference?manifest=...&first=...`
 */
export function nameWithLoad(base: string, load: LoadMessage): string {
  const q = new URLSearchParams({
    manifest: load.manifestUrl,
    ...(load.first ? { first: load.first } : {}),
    ...(load.keptFleet ? { kept: load.keptFleet } : {}),
  });
  return `${base}?${q.toString()}`;
}

/** The load message a worker's name carries (nameWithLoad), or null. */
export function loadFromName(name: string): LoadMessage | null {
  const i = name.indexOf('?');
  if (i < 0) return null;
  const q = new URLSearchParams(name.slice(i + 1));
  const manifestUrl = q.get('manifest');
  if (!manifestUrl) return null;
  const first = q.get('first');
  const keptFleet = q.get('kept');
  return { type: 'load', manifestUrl, ...(first ? { first } : {}), ...(keptFleet ? { keptFleet } : {}) };
}

export type ToWorker =
  /**
   * `first`: the domain the page opens on; its models load first and the worker is ready once
   * they are (the others load after the first prediction). The worker downloads the runtime itself.
   */
  | LoadMessage
  | { type: 'predict'; id: number; modelIds: string[]; rows: Values[] }
  | { type: 'batch'; id: number; modelId: string; file: Blob; chunkRows?: number; reading?: FileReading }
  /** Stop reading the file: the rows read so far are still reported and kept for the download. */
  | { type: 'cancel'; id: number }
  /** Write the download of a finished batch (its input columns plus the results). */
  | { type: 'download'; id: number; threshold?: number }
  /** The page is done with this batch: drop what the worker keeps for its download. */
  | { type: 'release'; id: number }
  /** Read a daily log, compute its history features, score and rank it (the Fleet view). */
  | { type: 'fleet'; id: number; modelId: string; file: Blob; keep?: KeepMode }
  /** Show the fleet workspace kept in this browser, without rescoring (unless another model version scored it). */
  | { type: 'fleet-open'; id: number; modelId: string }
  /** A question about a scored log kept in the worker (its id is the fleet run's). */
  | { type: 'fleet-query'; id: number; qid: number; query: FleetQuery }
  /** Give this worker a helper to score batch chunks on, reached through `port`. */
  | { type: 'attach-helper'; port: MessagePort }
  /** A batch or fleet view has opened with this model: run the job's code once on a small generated file (job-warm.ts). */
  | { type: 'warm-job'; job: WarmJob; modelId: string };

// ---- inference worker -> page ----

export type FromWorker =
  | { type: 'loading'; stage: 'manifest' | 'runtime' | 'models'; loaded: number; total: number }
  /**
   * The model list, checked, before the first view's sessions exist: a kept fleet opens on it
   * alone. Sent once, always before `ready`: the page keeps this copy.
   */
  | { type: 'manifest'; manifest: Manifest }
  | {
      type: 'ready';
      loadMs: number;
      /** When each stage of the worker's start ended, ms since the epoch (bench: performance marks prognos:<stage>). */
      stages?: Record<string, number | null>;
    }
  /** Fatal: no model can run (manifest missing or invalid, runtime failed). */
  | { type: 'fatal'; message: string }
  /** One model could not be loaded (e.g. checksum mismatch); the others still work. */
  | { type: 'model-error'; modelId: string; message: string }
  | { type: 'result'; id: number; predictions: ModelPrediction[] }
  | { type: 'error'; id: number; message: string }
  | { type: 'download-ready'; id: number; blob: Blob }
  /** A helper worker has loaded and warmed up: batches now score on it too. */
  | { type: 'helper-ready'; helpers: number }
  | BatchMessage
  | FleetMessage;

// ---- the Fleet view: a daily log read, scored and ranked in the worker ----

export interface FleetProgress {
  stage: 'reading' | 'scoring' | 'done';
  /** Data rows read (accepted + rejected); duplicates are counted once the file is read. */
  rowsRead: number;
  rowsRejected: number;
  /** Kept readings scored so far. */
  rowsScored: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
}

export interface FleetSummary {
  /** rowsRead = rowsKept + rowsRejected + duplicates. */
  rowsRead: number;
  rowsRejected: number;
  rowsKept: number;
  /** Readings set aside: a later row of the file gave the same device and date. */
  duplicates: number;
  /** The first MAX_ERRORS_SENT of them. */
  duplicateList: { line: number; keptLine: number; entity: string; day: number }[];
  devices: number;
  days: number;
  firstDay: number | null;
  lastDay: number | null;
  hasLabel: boolean;
  /** Kept readings labelled 1. */
  failures: number;
  /** Column names as written in the file. */
  columns: { entity: string; date: string; label: string | null };
  timings: {
    totalMs: number;
    parseMs: number;
    featureMs: number;
    scoreMs: number;
    scoringMs: number;
    rankMs: number;
    helperRows: number;
    /** The kept workspace read and the file merged into it (into an empty log when nothing is kept), and the workspace written (0 when nothing is kept). */
    keptMs: number;
    storeMs: number;
  };
  /** What the file did to the log: readings added, and kept readings it replaced (same device and date; the file's wins). */
  merge: { added: number; replaced: number; replacedList: Replacement[]; scored: number };
  /** The workspace kept in this browser, when the run keeps one. */
  workspace: KeepInfo | null;
  /** Generated sample data, not a user's file (the summary says so). */
  sample?: boolean;
  /** Devices with a gap of more than `longerThan` days between two readings; null when the declaration names no gap length. */
  gaps: { longerThan: number; devices: number } | null;
}

/**
 * Whether a fleet run keeps its log in this browser: 'none' (the log lives in the worker until
 * released), 'new' (the file starts a new workspace, replacing any kept one), 'append' (the file
 * is merged into the kept workspace).
 */
export type KeepMode = 'none' | 'new' | 'append';

/** The kept workspace after a run. */
export interface KeepInfo {
  saved: boolean;
  /** Why it was not saved (the disk is full...): what was kept before is unchanged. */
  problem: string | null;
  readings: number;
  devices: number;
  bytes: number;
  files: AppendedFile[];
  /** A sentence about this visit (e.g. rescored by another model version). */
  note: string | null;
  /** When it was written (the stamp its change announcement carries). */
  updatedAt: string;
}

/** The hold-back the day's list applies: the inspections recorded, and the user's H. */
export interface HoldQuery {
  inspections: Inspection[];
  holdDays: number;
}

/** The jobs a view can have warmed up while the user picks a file. */
export type WarmJob = 'batch' | 'fleet';

export type FleetQuery =
  | { kind: 'day'; day: number | null; k: number; hold?: HoldQuery | null }
  /** The inspection policy simulated on this labelled log for the user's K and H, against no hold-back. */
  | { kind: 'policy'; k: number; holdDays: number }
  /** The whole workspace as one file (the kept log, the inspections and unreadable records given by the page). */
  | { kind: 'download-workspace'; inspections: unknown[]; unreadable: unknown[] }
  | { kind: 'device'; entity: string; k: number }
  | { kind: 'evaluation'; k: number }
  | { kind: 'search'; text: string }
  | { kind: 'download-ranking'; day: number | null; k: number; hold?: HoldQuery | null }
  | { kind: 'download-rows' };

export interface FleetAnswers {
  day: DayList | null;
  device: DeviceTimeline | null;
  evaluation: FleetEvaluation | null;
  search: string[];
  'download-ranking': Blob | null;
  'download-rows': Blob;
  'download-workspace': Blob;
  policy: PolicyResult[] | null;
}
export type FleetAnswer = FleetAnswers[keyof FleetAnswers];

export type FleetMessage =
  | { type: 'fleet-progress'; id: number; progress: FleetProgress; rejected: BatchRowError[] }
  /** Not a log this domain reads (no date or device column, a required field missing). Last event. */
  | { type: 'fleet-refused'; id: number; message: string; missing: string[] }
  /** Read to the end and scored (summary), or cancelled / broken off (no summary). */
  | { type: 'fleet-done'; id: number; status: JobStatus; message: string | null; summary: FleetSummary | null }
  | { type: 'fleet-answer'; id: number; qid: number; answer: FleetAnswer }
  | { type: 'fleet-query-error'; id: number; qid: number; message: string };

export type BatchMessage =
  | {
      type: 'batch-header';
      id: number;
      /** The first COLUMNS_SHOWN column names of the header. */
      columns: string[];
      /** Columns in the file's header (more than `columns.length` when cut). */
      columnCount: number;
      hasLabel: boolean;
      /** How the file is read: delimiter, number format, each input's unit. */
      reading?: CsvReading;
    }
  | {
      type: 'batch-refused';
      id: number;
      message: string;
      missing: string[];
    }
  | {
      type: 'batch-chunk';
      id: number;
      /** Physical line numbers of the scored rows in the file. */
      lines: Int32Array;
      p1: Float32Array;
      /** Label column value per scored row, -1 when the file has none. */
      truth: Int8Array;
      /**
       * Raw cells per scored row as JSON (string[][]), only while the page keeps them (see
       * CELLS_KEPT): one string crosses threads far more cheaply than thousands, and the page
       * parses a chunk's cells only when its rows are shown.
       */
      cellsJson: string | null;
      /** Rejected rows of this chunk (capped in total at MAX_ERRORS_SENT). */
      rejected: BatchRowError[];
      progress: BatchProgress;
    }
  | {
      type: 'batch-done';
      id: number;
      status: JobStatus;
      /** Set when the file could not be read to the end. */
      message: string | null;
      progress: BatchProgress;
      /** True when a batch-evaluation message follows (a finished file with a label column). */
      evaluating: boolean;
    }
  /** The metrics on the user's labels, computed after batch-done so that the summary shows first. */
  | {
      type: 'batch-evaluation';
      id: number;
      evaluation: EvaluationReport;
    };

// ---- page -> helper worker ----

/** The helper's one message: load the models, then answer the inference worker's requests on `port`. */
export type ToHelper = { type: 'serve'; manifestUrl: string; port: MessagePort };

// ---- inference worker <-> helper worker, on the port of a MessageChannel ----

export interface ScoreRequest {
  type: 'score';
  seq: number;
  modelId: string;
  data: Float32Array;
  rows: number;
}

/** A fleet chunk whose history features the helper computes before scoring (domain/fleet-workspace.ts historyChunk). */
export interface HistoryWork {
  spec: HistorySpec;
  inputs: readonly string[];
  /** For each model feature, its index among spec.features. */
  featureIndex: readonly number[];
  log: HistoryColumns;
  positions: Int32Array;
}

export interface HistoryScoreRequest extends HistoryWork {
  type: 'score-history';
  seq: number;
  modelId: string;
}

/** Once 'ready' when the helper's models are loaded and warmed up, then one reply per request. */
export type ScoreReply =
  { type: 'ready' } | { type: 'scored'; seq: number; p1: Float32Array } | { type: 'score-error'; seq: number; message: string };

/** The page keeps the raw cells of this many rows for its table; the download has all. */
export const CELLS_KEPT = 20_000;
/** Devices of a day's ranking sent to the page; the ranking download has all of them. */
export const DAY_ROWS_SENT = 2_000;
/**
 * Input columns the page is sent and shows, at most (the first ones); the download has all.
 * A 100,000-column file would otherwise cost the page 100,000 cells a row to parse and lay out.
 */
export const COLUMNS_SHOWN = 24;
/** Row errors listed in the page; the counts always include all of them. */
export const MAX_ERRORS_SENT = 1_000;
