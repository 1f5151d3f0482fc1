import { useSyncExternalStore } from 'react';
import type { PredictionState } from './prediction-state';

/**
 * The prediction shown, kept outside the view's React state: a new result re-renders what shows
 * it (the result section, the print copy), and not the view with its form. Each render of the
 * form hands every input a new react-hook-form ref, which registers the field again: about
 * 0.8 ms of a warm submit's 3.3 ms in Chromium, before the result could be drawn.
 */
export interface PredictionStore {
  get(): PredictionState | null;
  set(next: PredictionState | null): void;
  subscribe(listener: () => void): () => void;
}

export function createPredictionStore(): PredictionStore {
  let state: PredictionState | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next) {
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The prediction shown, for a component that draws it (re-rendered when it changes). */
export function usePredictionState(store: PredictionStore): PredictionState | null {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
