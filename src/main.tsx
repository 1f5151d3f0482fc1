// First: the Trusted Types policies, before anything creates a worker.
import '@/trusted-types';
import { createBrowserInference } from '@/inference/browser-client';

// Start the inference worker (WebAssembly runtime and models) before anything else: this
// entry is tiny, and the app itself loads as a separate chunk in parallel. The one client
// of the page reaches the views through InferenceProvider (mount.tsx).
const inference = createBrowserInference().start();

void import('@/app/mount').then((m) => m.mount(document.getElementById('root')!, inference));

// Offline support: once the models are ready, a service worker precaches the site for next
// time (production builds only; it would cache stale modules under the dev server).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  inference.load().then(
    () => void import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true })),
    () => undefined, // no models, no offline copy: the banner says why
  );
}
