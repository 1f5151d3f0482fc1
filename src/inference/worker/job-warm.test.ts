// The batch and fleet views' warm-up in the worker, with the real engine and a real helper on a
// MessageChannel: it runs the log's path here, then on the helper once that has loaded, and
// stops when a real job starts.
import { describe, expect, it } from 'vitest';
import { device, engine, fleetModel, manifest } from '@/test/worker-models';
import type { Engine } from './engine';
import { warmBatch, warmFleet } from './job-warm';
import { PortScorer, serveScores } from './scorers';

function helper(ready: Promise<Engine>) {
  const { port1, port2 } = new MessageChannel();
  serveScores(port1, ready, (id) => manifest.models.find((m) => m.id === id)!);
  return { scorer: new PortScorer(port2), close: () => (port1.close(), port2.close()) };
}

describe('warmFleet', () => {
  it('runs here, then on a helper that loads later: the helper computes features for the warm-up log', async () => {
    let release!: (e: Engine) => void;
    const h = helper(new Promise<Engine>((r) => (release = r)));
    setTimeout(() => release(engine), 300);
    await warmFleet(engine, fleetModel, [h.scorer], new AbortController().signal);
    h.close();
    // 24 devices x 60 days, less the days the failing devices no longer report.
    expect(h.scorer.rows).toBeGreaterThan(1000);
  });

  it('stops waiting for the helpers when a real job starts', async () => {
    const h = helper(new Promise<Engine>(() => undefined)); // never loads
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 200);
    await warmFleet(engine, fleetModel, [h.scorer], ac.signal);
    h.close();
    expect(h.scorer.rows).toBe(0);
    // Well before the 10 s it would wait for a helper that never loads.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('warmBatch', () => {
  it('scores its generated file here and on a helper that is ready', async () => {
    const h = helper(Promise.resolve(engine));
    for (let i = 0; i < 500 && h.scorer.room() === 0; i++) await new Promise((r) => setTimeout(r, 2));
    const model = manifest.models.find((m) => m.domain === 'device' && !device.historyModelIds.includes(m.id))!;
    await warmBatch(
      engine,
      model,
      manifest.models.filter((m) => m.domain === 'device'),
      [h.scorer],
      new AbortController().signal,
    );
    h.close();
    expect(h.scorer.rows).toBeGreaterThan(0);
  });
});
