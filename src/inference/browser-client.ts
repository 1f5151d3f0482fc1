import { InferenceClient } from './client';

/** `#/<domain>/<view>/...` as its parts. */
const routeParts = (): string[] => location.hash.replace(/^#\/?/, '').split('/');

/**
 * The client of the built site: module workers from their own entry files, the slim manifest
 * next to the page (models/manifest.core.json, without the card curves; derived at build time
 * by src/build/model-core.ts), and the domain the address opens on (`#/<domain>/...`), whose
 * models the worker loads first. The worker downloads the WebAssembly runtime itself, from the
 * first line of its entry (worker/runtime-prefetch.ts). A page opening on a fleet kept in this
 * browser (`keepsFleet`, the page's setting) says so, and the worker reads the kept log while the
 * page draws.
 */
export function createBrowserInference(keepsFleet: (domain: string) => boolean = () => false): InferenceClient {
  return new InferenceClient(
    // Two literal `new Worker(new URL(...))` calls: Vite bundles each entry only when written this way.
    (role, name) =>
      role === 'helper'
        ? new Worker(new URL('./worker/helper.worker.ts', import.meta.url), { type: 'module', name })
        : new Worker(new URL('./worker/inference.worker.ts', import.meta.url), { type: 'module', name }),
    () => new URL('models/manifest.core.json', document.baseURI).href,
    () => routeParts()[0] || null,
    // `#/<domain>/fleet...` with the fleet kept in this browser: the page opens it once drawn.
    () => {
      const [domain, view] = routeParts();
      return domain && view === 'fleet' && keepsFleet(domain) ? domain : null;
    },
  );
}
