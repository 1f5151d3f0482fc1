import { streamCsv, streamRows, type StreamOptions, type StreamResult } from '@/domain/csv/stream';
import type { DomainSpec } from '@/domain/domains';
import { blobText } from './blob-text';

/**
 * A batch file or a fleet log, CSV or Parquet, streamed through the same column rules, row
 * checks and batches (domain/csv/stream.ts). The Parquet reader is its own chunk, loaded on
 * the first Parquet file.
 */

/** "PAR1", the first (and last) four bytes of a Parquet file. */
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31];

/** A file named .parquet (then a damaged one is told so), or one that starts as Parquet does. */
export async function isParquet(file: Blob): Promise<boolean> {
  if (file instanceof File && /\.parquet$/i.test(file.name)) return true;
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return PARQUET_MAGIC.every((b, i) => head[i] === b);
}

export async function streamFile(file: Blob, domain: DomainSpec, opts: StreamOptions): Promise<StreamResult> {
  if (!(await isParquet(file))) return streamCsv(blobText(file), domain, opts);
  const { parquetRows } = await import('./parquet-rows');
  return streamRows(parquetRows(file), domain, opts);
}
