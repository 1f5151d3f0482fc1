import type { BatchProgress } from '@/inference/client';

/** Rows per second and time left, from the worker's progress. */
export function rates(p: BatchProgress): { rowsPerSecond: number; secondsLeft: number | null } {
  const s = p.elapsedMs / 1000;
  const rowsPerSecond = s > 0 ? p.rowsRead / s : 0;
  const bytesPerSecond = s > 0 ? p.bytesRead / s : 0;
  const secondsLeft = bytesPerSecond > 0 && p.totalBytes > 0 ? Math.max(0, (p.totalBytes - p.bytesRead) / bytesPerSecond) : null;
  return { rowsPerSecond, secondsLeft };
}
