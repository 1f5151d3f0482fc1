import { inference } from '@/inference/client';

// Start the inference worker (WebAssembly runtime and models) before anything else: this
// entry is tiny, and the app itself loads as a separate chunk in parallel.
inference.start();

void import('@/app/mount').then((m) => m.mount(document.getElementById('root')!));

// Offline support: once the models are ready, a service worker precaches the site for next
// time (production builds only; it would cache stale modules under the dev server).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  const off = inference.subscribe(() => {
    if (inference.getStatus().state !== 'ready') return;
    off();
    void import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }));
  });
}
