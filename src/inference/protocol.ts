import type { Values } from '@/domain/fields';
import type { Manifest } from '@/domain/manifest';
import type { EvaluationReport } from '@/domain/metrics';

/** Messages between the page and the inference worker: discriminated unions on `type`. */

export interface ModelPrediction {
  modelId: string;
  /** P(class 1) per row, in input order. */
  p1: Float32Array;
  /** The model's own label output (argmax, as scikit-learn's predict). */
  labels: Int32Array;
  /** Milliseconds spent in session.run for this model. */
  runMs: number;
}

export interface BatchRowError {
  line: number;
  column: string;
  value: string;
  message: string;
}

export type ToWorker =
  /**
   * `runtime`: the WebAssembly runtime's bytes as the page is downloading them (the page starts
   * early, from a preload in index.html); without it the worker downloads the runtime itself.
   */
  | { type: 'load'; manifestUrl: string; runtime?: ReadableStream<Uint8Array> }
  | { type: 'predict'; id: number; modelIds: string[]; rows: Values[] }
  | { type: 'batch'; id: number; modelId: string; file: Blob; chunkRows?: number }
  | { type: 'cancel'; id: number }
  /** Write the download of a finished batch (its input columns plus the results). */
  | { type: 'download'; id: number }
  /** Make this worker a helper: answer the batch worker's score requests on `port` (scorers.ts). */
  | { type: 'serve'; port: MessagePort }
  /** Give this (batch) worker a helper to score chunks on, reached through `port`. */
  | { type: 'attach-helper'; port: MessagePort };

export type FromWorker =
  | { type: 'loading'; stage: 'manifest' | 'runtime' | 'models'; loaded: number; total: number }
  | { type: 'ready'; manifest: Manifest; loadMs: number }
  /** Fatal: no model can run (manifest missing or invalid, runtime failed). */
  | { type: 'fatal'; message: string }
  /** One model could not be loaded (e.g. checksum mismatch); the others still work. */
  | { type: 'model-error'; modelId: string; message: string }
  | { type: 'result'; id: number; predictions: ModelPrediction[] }
  | { type: 'error'; id: number; message: string }
  | { type: 'download-ready'; id: number; blob: Blob }
  /** A helper worker has loaded and warmed up: batches now score on it too (scorers.ts). */
  | { type: 'helper-ready'; helpers: number }
  | BatchMessage;

export type BatchMessage =
  | {
      type: 'batch-header';
      id: number;
      columns: string[];
      hasLabel: boolean;
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
      status: 'done' | 'cancelled' | 'failed';
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

/** The page keeps the raw cells of this many rows for its table; the download has all. */
export const CELLS_KEPT = 20_000;
/** Row errors listed in the page; the counts always include all of them. */
export const MAX_ERRORS_SENT = 1_000;
