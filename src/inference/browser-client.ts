import { InferenceClient } from './client';

/** The client of the built site: module workers from their own entry files, the manifest next to the page. */
export function createBrowserInference(): InferenceClient {
  return new InferenceClient(
    // Two literal `new Worker(new URL(...))` calls: Vite bundles each entry only when written this way.
    (role, name) =>
      role === 'helper'
        ? new Worker(new URL('./helper.worker.ts', import.meta.url), { type: 'module', name })
        : new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name }),
    () => new URL('models/manifest.json', document.baseURI).href,
  );
}
