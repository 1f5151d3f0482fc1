import { featureRows, historyChunk, type KeptLog } from '@/domain/fleet-workspace';
import type { HistorySpec } from '@/domain/history';
import type { ModelEntry } from '@/domain/manifest';
import type { Engine } from './engine';
import type { Scorer } from './scorers';
import { pickHelper, yieldToHelpers } from './worker-job';

/** Readings scored per session.run: whole devices, about this many readings at most. */
const SCORE_ROWS = 8192;
/** The smallest chunk worth a session.run of its own (chunks shrink towards the end). */
const MIN_SCORE_ROWS = 512;

/**
 * Readings in the next chunk when `left` remain for `workers` threads: at most SCORE_ROWS, and
 * less towards the end (guided scheduling), so that this worker does not sit idle at the end
 * while a helper works through the last full chunks it queued.
 */
export function chunkTarget(left: number, workers: number): number {
  return Math.max(MIN_SCORE_ROWS, Math.min(SCORE_ROWS, Math.ceil(left / (2 * workers))));
}

export interface ScoreTimes {
  /** This worker's time computing features (a helper computes its chunks' own). */
  featureMs: number;
  scoreMs: number;
  /** Readings featurised and scored by helpers. */
  helperRows: number;
}

/**
 * Compute the history features of the given positions of a kept log (ascending) and score them
 * into `log.p1`, whole devices per chunk. A helper with room takes a chunk whole (its part of
 * the log, features and scoring), so both cores compute features. A full load scores every
 * position; an append only those it marked.
 */
export async function scorePositions(
  engine: Engine,
  model: ModelEntry,
  spec: HistorySpec,
  inputs: readonly string[],
  log: KeptLog,
  positions: Int32Array,
  opts: { signal: AbortSignal; helpers?: readonly Scorer[]; onScored?: (done: number) => void },
): Promise<ScoreTimes> {
  const featureIndex = model.features.map((f) => spec.features.findIndex((x) => x.name === f.name));
  const helpers = opts.helpers ?? [];
  const inFlight: Promise<void>[] = [];
  const times: ScoreTimes = { scoreMs: 0, featureMs: 0, helperRows: 0 };
  let e = 0;
  for (let a = 0; a < positions.length;) {
    if (opts.signal.aborted) break;
    // Up to chunkTarget positions, cut at a device's end (its features are computed once).
    const target = chunkTarget(positions.length - a, helpers.length + 1);
    let b = a;
    while (b < positions.length) {
      while (log.entityStart[e + 1]! <= positions[b]!) e++;
      const end = log.entityStart[e + 1]!;
      let c = b;
      while (c < positions.length && positions[c]! < end) c++;
      if (b > a && c - a > target) break;
      b = c;
    }
    const chunk = positions.subarray(a, b);
    const rows = chunk.length;
    const here = async () => {
      const tq = performance.now();
      const matrix = featureRows(spec, inputs, log, chunk, featureIndex);
      const ts = performance.now();
      times.featureMs += ts - tq;
      const out = (await engine.runMatrix(model, matrix, rows)).p1;
      times.scoreMs += performance.now() - ts;
      return out;
    };
    const helper = pickHelper(helpers);
    const work = () => ({ spec, inputs, featureIndex, ...historyChunk(log, inputs.length, chunk, spec) });
    // A helper that fails hands the chunk back: it is featurised and scored here instead.
    const viaHelper = helper ? helper.scoreHistory(model.id, work()).then((out) => ((times.helperRows += rows), out), here) : here();
    const scored = viaHelper.then((out) => {
      for (let r = 0; r < rows; r++) log.p1[chunk[r]!] = out[r]!;
    });
    if (helper) inFlight.push(scored);
    else await scored;
    await yieldToHelpers(helpers);
    a = b;
    opts.onScored?.(a);
  }
  await Promise.all(inFlight);
  return times;
}
