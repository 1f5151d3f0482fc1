// The port protocol between the batch worker and a helper, over a real MessageChannel and
// the real engine in Node: the same code both workers run in the browser.
import { describe, expect, it } from 'vitest';
import { readGolden } from '@/test/golden';
import { engine, manifest } from '@/test/worker-models';
import type { Engine } from './engine';
import { HELPER_DEPTH, PortScorer, serveScores } from './scorers';

const model = (id: string) => {
  const m = manifest.models.find((x) => x.id === id);
  if (!m) throw new Error(`Unknown model "${id}"`);
  return m;
};
const golden = readGolden('device-rf');
const F = golden.features.length;

function matrix(from: number, rows: number): Float32Array {
  return Float32Array.from(golden.inputs.slice(from, from + rows).flat());
}

/** A helper served on one end of a channel, the batch worker's PortScorer on the other. */
function connect(helperEngine: Promise<Engine>) {
  const { port1, port2 } = new MessageChannel();
  let readyCalls = 0;
  serveScores(port1, helperEngine, model);
  const scorer = new PortScorer(port2, () => readyCalls++);
  const close = () => {
    port1.close();
    port2.close();
  };
  return { scorer, readyCalls: () => readyCalls, close };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!cond()) throw new Error('condition not met in time');
};

describe('PortScorer and serveScores', () => {
  it('takes no chunk until the helper says it is ready, then HELPER_DEPTH at a time', async () => {
    let release!: (e: Engine) => void;
    const { scorer, readyCalls, close } = connect(new Promise<Engine>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    expect(scorer.room()).toBe(0);
    await expect(scorer.score('device-rf', matrix(0, 4), 4)).rejects.toThrow('takes no more chunks');
    release(engine);
    await until(() => scorer.room() > 0);
    expect(readyCalls()).toBe(1);
    expect(scorer.room()).toBe(HELPER_DEPTH);
    const pending = Array.from({ length: HELPER_DEPTH }, (_, k) => scorer.score('device-rf', matrix(k * 50, 50), 50));
    expect(scorer.room()).toBe(0);
    const results = await Promise.all(pending);
    expect(scorer.room()).toBe(HELPER_DEPTH);
    close();
    // Same scores as scikit-learn for the same rows, in the order asked.
    results.forEach((p1, k) => {
      expect(p1).toHaveLength(50);
      p1.forEach((p, i) => expect(Math.abs(p - golden.probabilities[k * 50 + i]![1])).toBeLessThanOrEqual(1e-5));
    });
    expect(scorer.rows).toBe(HELPER_DEPTH * 50);
  });

  it('leaves the caller its data: the matrix is copied, not transferred', async () => {
    const { scorer, close } = connect(Promise.resolve(engine));
    await until(() => scorer.room() > 0);
    const data = matrix(0, 10);
    await scorer.score('device-rf', data, 10);
    close();
    expect(data).toHaveLength(10 * F);
    expect(Array.from(data)).toEqual(Array.from(matrix(0, 10)));
  });

  it('a failed chunk rejects with the helper message, and the helper is not asked again', async () => {
    const { scorer, close } = connect(Promise.resolve(engine));
    await until(() => scorer.room() > 0);
    await expect(scorer.score('no-such-model', matrix(0, 2), 2)).rejects.toThrow('Unknown model "no-such-model"');
    expect(scorer.room()).toBe(0);
    close();
  });

  it('a helper whose models never load is never ready', async () => {
    const { scorer, readyCalls, close } = connect(Promise.reject(new Error('models missing')));
    await new Promise((r) => setTimeout(r, 30));
    expect(scorer.room()).toBe(0);
    expect(readyCalls()).toBe(0);
    close();
  });

  it('closing either end removes its listener: in-flight chunks fail over to the batch worker, none is taken after', async () => {
    const { port1, port2 } = new MessageChannel();
    let release!: (e: Engine) => void;
    const stop = serveScores(port1, new Promise<Engine>((r) => (release = r)), model);
    const scorer = new PortScorer(port2);
    expect(port1.onmessage).not.toBeNull();
    release(engine);
    await until(() => scorer.room() > 0);
    const inFlight = scorer.score('device-rf', matrix(0, 4), 4);
    scorer.close();
    await expect(inFlight).rejects.toThrow('closed');
    expect(scorer.room()).toBe(0);
    expect(port2.onmessage).toBeNull();
    stop();
    expect(port1.onmessage).toBeNull();
  });
});
