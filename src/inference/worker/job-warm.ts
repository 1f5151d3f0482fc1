import { getDomain } from '@/domain/domains';
import type { ModelEntry } from '@/domain/manifest';
import { sampleBatchCsv, sampleFleetCsv, trainingRanges } from '@/domain/sample-data';
import { runBatch } from './batch';
import type { Engine } from './engine';
import { answerFleet } from './fleet-queries';
import { runFleet } from './fleet-run';
import type { BatchScorer, Scorer } from './scorers';

/*
 * A batch or fleet view has opened: run the job's whole path once on a small generated file
 * while the user picks one. A worker's first file otherwise runs on cold code (measured in
 * Chromium: the first full log's reading took about three times as long as the next one's).
 * Posts nothing, keeps nothing; stops when `signal` aborts (a real job has started).
 */

/** The warm-up files: every function of the path runs enough to be compiled, a few milliseconds once warm. */
const WARM_LOG = { seed: 7, devices: 24, days: 60, failing: 2 };
/**
 * With the helpers: a larger log (7,200 readings, 0.4 MB), so that the feature and scoring code
 * on both cores runs long enough to be optimised before the first real log (docs/speed.md,
 * "What a fleet log costs").
 */
const WARM_HELPERS_LOG = { seed: 8, devices: 120, days: 60, failing: 4 };
const WARM_BATCH_ROWS = 2000;
/** How long the warm-up waits for the helpers to load before warming their part. */
const HELPERS_WAIT_MS = 10_000;

/**
 * A fleet log's path (read, check, features, scoring, ranking, the day's list): once here alone,
 * then once more with the helpers when they have loaded, so that their feature code is warm too.
 */
export async function warmFleet(engine: Engine, model: ModelEntry, helpers: readonly Scorer[], signal: AbortSignal): Promise<void> {
  const domain = getDomain(model.domain);
  if (!domain.history) return;
  const once = async (hs: readonly Scorer[]) => {
    const log = new Blob([sampleFleetCsv(domain, model, hs.length > 0 ? WARM_HELPERS_LOG : WARM_LOG)]);
    const data = await runFleet(engine, model, domain, log, { id: -1, post: () => undefined, signal, helpers: hs });
    if (data) answerFleet(data, { kind: 'day', day: null, k: 10, hold: null });
  };
  await once([]);
  for (let waited = 0; waited < HELPERS_WAIT_MS && helpers.some((h) => h.room() === 0); waited += 100) {
    if (signal.aborted) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!signal.aborted && helpers.length > 0) await once(helpers);
}

/** A batch file's path (read, check, chunks, scoring, here and on the helpers that have loaded). */
export async function warmBatch(
  engine: Engine,
  model: ModelEntry,
  domainModels: readonly ModelEntry[],
  helpers: readonly BatchScorer[],
  signal: AbortSignal,
): Promise<void> {
  const file = new Blob([sampleBatchCsv(getDomain(model.domain), trainingRanges(domainModels), 7, WARM_BATCH_ROWS)]);
  await runBatch(engine, model, file, { id: -1, post: () => undefined, signal, helpers });
}
