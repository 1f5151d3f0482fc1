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
  | { type: 'load'; manifestUrl: string }
  | { type: 'predict'; id: number; modelIds: string[]; rows: Values[] }
  | { type: 'batch'; id: number; modelId: string; file: Blob; chunkRows?: number }
  | { type: 'cancel'; id: number }
  /** Write the download of a finished batch (its input columns plus the results). */
  | { type: 'download'; id: number };

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
      /** Raw cells per scored row, only while the page keeps them (see CELLS_KEPT). */
      cells: string[][] | null;
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
      /** Present when the file has a label column. */
      evaluation: EvaluationReport | null;
    };

export interface BatchProgress {
  rowsRead: number;
  rowsScored: number;
  rowsRejected: number;
  bytesRead: number;
  totalBytes: number;
  elapsedMs: number;
  parseMs: number;
  scoreMs: number;
}

/** The page keeps the raw cells of this many rows for its table; the download has all. */
export const CELLS_KEPT = 20_000;
/** Row errors listed in the page; the counts always include all of them. */
export const MAX_ERRORS_SENT = 1_000;
