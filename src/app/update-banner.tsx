import { useEffect, useState, useSyncExternalStore } from 'react';
import { errorMessage } from '@/domain/errors';
import type { Manifest } from '@/domain/manifest';
import { diffManifests, type ModelChange } from '@/domain/manifest-diff';
import { useEngineStatus } from '@/inference/use-inference';
import { updateStore } from './update-store';

/**
 * The manifest of the deployment now on the server. The query string keeps the request out
 * of the service worker's precache (which still holds this version's manifest), so it goes to
 * the network.
 */
async function fetchLatestManifest(): Promise<Manifest> {
  const res = await fetch(`./models/manifest.json?latest=${Date.now()}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  // The schema loads only when a new version is announced (another version's list is checked in full).
  const [{ parseManifest }, json] = await Promise.all([import('@/domain/manifest'), res.json() as Promise<unknown>]);
  return parseManifest(json);
}

type Changes = { state: 'loading' } | { state: 'known'; changes: ModelChange[] } | { state: 'unknown'; why: string };

/** "A new version is available", what it changes in the models, and a reload the user chooses. */
export function UpdateBanner() {
  const pending = useSyncExternalStore(updateStore.subscribe, updateStore.get);
  const status = useEngineStatus();
  const current = status.state === 'ready' ? status.manifest : null;
  const [changes, setChanges] = useState<Changes>({ state: 'loading' });
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    if (!pending || !current) return;
    let live = true;
    fetchLatestManifest().then(
      (next) => live && setChanges({ state: 'known', changes: diffManifests(current, next) }),
      (e: unknown) => live && setChanges({ state: 'unknown', why: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [pending, current]);
  if (!pending || dismissed) return null;
  return (
    <section className="banner" role="region" aria-labelledby="update-title" data-testid="update-banner">
      <p id="update-title">
        <strong>A new version is available.</strong> This page keeps running the version it opened with until you reload.
      </p>
      {changes.state === 'known' &&
        (changes.changes.length === 0 ? (
          <p>The models are unchanged: the same inputs give the same results.</p>
        ) : (
          <>
            <p>What changes in the models (the same inputs may give different results after the reload):</p>
            <ul>
              {changes.changes.map((c) => (
                <li key={c.id}>
                  <code>{c.id}</code>: {c.text}
                </li>
              ))}
            </ul>
          </>
        ))}
      {changes.state === 'unknown' && <p>What changes in the models could not be read ({changes.why}).</p>}
      <p>
        <button type="button" onClick={() => void pending.apply()}>
          Reload with the new version
        </button>{' '}
        <button type="button" className="secondary" onClick={() => setDismissed(true)}>
          Not now
        </button>
      </p>
    </section>
  );
}
