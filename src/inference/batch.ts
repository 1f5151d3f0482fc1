import type { ModelEntry } from '@/domain/manifest';
import type { Engine } from './engine';
import type { FromWorker } from './protocol';

export interface BatchOptions {
  id: number;
  chunkRows?: number | undefined;
  post: (msg: FromWorker, transfer?: Transferable[]) => void;
  isCancelled: () => boolean;
}

/** Stream-parse a CSV file and score it chunk by chunk (filled in with the CSV importer). */
export async function runBatch(_engine: Engine, _model: ModelEntry, _file: Blob, opts: BatchOptions): Promise<void> {
  opts.post({ type: 'error', id: opts.id, message: 'Batch scoring is not available yet' });
}
