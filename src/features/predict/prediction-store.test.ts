import { describe, expect, it, vi } from 'vitest';
import type { PredictionState } from './prediction-state';
import { createPredictionStore } from './prediction-store';

const shown = (seq: number) => ({ values: {}, entered: { format: 'point', units: {} }, outcomes: [], contributions: null, seq }) as PredictionState;

describe('the prediction store', () => {
  it('tells each listener of a new prediction once, not of the same one again, and no longer once unsubscribed', () => {
    const store = createPredictionStore();
    const a = vi.fn();
    const b = vi.fn();
    const stopA = store.subscribe(a);
    store.subscribe(b);
    expect(store.get()).toBeNull();
    const first = shown(1);
    store.set(first);
    store.set(first);
    expect(store.get()).toBe(first);
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 1]);
    stopA();
    store.set(null);
    expect(store.get()).toBeNull();
    expect([a.mock.calls.length, b.mock.calls.length]).toEqual([1, 2]);
  });
});
