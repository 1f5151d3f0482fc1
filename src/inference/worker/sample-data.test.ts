// The generated sample files, read by the same worker code as a user's file, with the real engine.
import { describe, expect, it } from 'vitest';
import { sampleBatchCsv, sampleFleetCsv, trainingRanges } from '@/domain/sample-data';
import type { FromWorker } from '@/inference/protocol';
import { device, engine, fleetModel, heart, heartModels } from '@/test/worker-models';
import { runBatch } from './batch';
import { runFleet } from './fleet-run';

describe('generated sample data', () => {
  it('is deterministic: the same seed gives the same file, another seed another', () => {
    expect(sampleFleetCsv(device, fleetModel, { seed: 5 })).toBe(sampleFleetCsv(device, fleetModel, { seed: 5 }));
    expect(sampleFleetCsv(device, fleetModel, { seed: 5 })).not.toBe(sampleFleetCsv(device, fleetModel, { seed: 6 }));
    const ranges = trainingRanges(heartModels);
    expect(sampleBatchCsv(heart, ranges, 3)).toBe(sampleBatchCsv(heart, ranges, 3));
    expect(sampleBatchCsv(heart, ranges, 3)).not.toBe(sampleBatchCsv(heart, ranges, 4));
  });

  it('a patient batch: its good rows scored, its three bad rows listed by line', async () => {
    const msgs: FromWorker[] = [];
    const model = heartModels.find((m) => m.id === 'heart-lr')!;
    await runBatch(engine, model, new Blob([sampleBatchCsv(heart, trainingRanges(heartModels))]), {
      id: 1,
      post: (m) => msgs.push(m),
      signal: new AbortController().signal,
    });
    const done = msgs.find((m) => m.type === 'batch-done');
    expect(done?.type === 'batch-done' && [done.progress.rowsScored, done.progress.rowsRejected]).toEqual([57, 3]);
    const rejected = msgs.flatMap((m) => (m.type === 'batch-chunk' ? m.rejected.map((r) => r.line) : []));
    expect(rejected).toEqual([5, 10, 16]);
  });

  it('a fleet in which the devices that fail rank high in the days before they fail', async () => {
    const text = sampleFleetCsv(device, fleetModel);
    const msgs: FromWorker[] = [];
    const data = await runFleet(engine, fleetModel, device, new Blob([text]), {
      id: 2,
      post: (m) => msgs.push(m),
      signal: new AbortController().signal,
    });
    const done = msgs.find((m) => m.type === 'fleet-done');
    if (done?.type !== 'fleet-done' || !data) throw new Error('no fleet');
    const s = done.summary!;
    expect([s.devices, s.failures, s.rowsRejected, s.gaps?.devices]).toEqual([36, 5, 0, 1]);
    // Each failure: the device is among the day's top 5 on the day before it fails.
    const f = data.fleet;
    for (let pos = 0; pos < f.c.label.length; pos++) {
      if (f.c.label[pos] !== 1) continue;
      expect(f.rank[pos - 1]!).toBeLessThanOrEqual(5);
    }
  });
});
