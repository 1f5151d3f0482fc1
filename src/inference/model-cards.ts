import { useSyncExternalStore } from 'react';
import type { ModelCard } from '@/domain/manifest';
import { pins, verifiedJson } from './integrity';

/**
 * The full model cards (curves and threshold tables), fetched from manifest.json by the views
 * that draw them, once per page. The worker starts from the slimmer manifest.core.json, so
 * the first view never waits for these bytes.
 */
export type CardsStatus = { state: 'loading' } | { state: 'ready'; models: ModelCard[] } | { state: 'failed'; message: string };

let status: CardsStatus = { state: 'loading' };
let started = false;
const listeners = new Set<() => void>();

function set(s: CardsStatus): void {
  status = s;
  for (const l of listeners) l();
}

async function load(url: string): Promise<void> {
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`Could not load the model cards (${url}: HTTP ${res.status})`);
    // The schema loads with the cards, not with the views that may show them.
    const [{ parseCardManifest }, json] = await Promise.all([
      import('@/domain/manifest'),
      verifiedJson(res, pins.full, 'The model cards (models/manifest.json)'),
    ]);
    set({ state: 'ready', models: parseCardManifest(json).models });
  } catch (e) {
    started = false; // a later view may retry
    set({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
  }
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  if (!started) {
    started = true;
    void load(new URL('models/manifest.json', document.baseURI).href);
  }
  return () => listeners.delete(fn);
}

const get = (): CardsStatus => status;

/** Every model's full card; starts the fetch on first use. */
export function useModelCards(): CardsStatus {
  return useSyncExternalStore(subscribe, get);
}

/** One model's full card, or null while loading (or when it cannot be loaded). */
export function useModelCard(id: string): ModelCard | null {
  const s = useModelCards();
  return s.state === 'ready' ? (s.models.find((m) => m.id === id) ?? null) : null;
}
