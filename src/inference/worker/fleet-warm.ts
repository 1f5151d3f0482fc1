import { getDomain } from '@/domain/domains';
import type { ModelEntry } from '@/domain/manifest';
import { sampleFleetCsv } from '@/domain/sample-data';
import type { Engine } from './engine';
import { answerFleet } from './fleet-queries';
import { runFleet } from './fleet-run';
import type { Scorer } from './scorers';

/** The warm-up log: every function of the path runs enough to be compiled, a few milliseconds once warm. */
const WARM_LOG = { seed: 7, devices: 24, days: 60, failing: 2 };
/** How long the warm-up waits for the helpers to load before warming their part. */
const HELPERS_WAIT_MS = 10_000;

/**
 * Run a fleet log's whole path (read, check, features, scoring, ranking, the day's list) on a
 * small generated log while the user picks a file: a worker's first log otherwise runs on cold
 * code (measured in Chromium: the first full log's reading took about three times as long as
 * the next one's). Once here alone, then once more with the helpers when they have loaded, so
 * that their feature code is warm too. Posts nothing, keeps nothing; stops when `signal` aborts
 * (a real job has started).
 */
export async function warmFleet(engine: Engine, model: ModelEntry, helpers: readonly Scorer[], signal: AbortSignal): Promise<void> {
  const domain = getDomain(model.domain);
  if (!domain.history) return;
  const log = new Blob([sampleFleetCsv(domain, model, WARM_LOG)]);
  const once = async (hs: readonly Scorer[]) => {
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
