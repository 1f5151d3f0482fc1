// First: the Trusted Types policies, before anything creates a worker.
import '@/trusted-types';
import { formatFromLocale } from '@/domain/number-format';
import { createBrowserInference } from '@/inference/browser-client';
import { keepsFleet } from '@/storage/fleet-keep';

// Start the inference worker (WebAssembly runtime and models) before anything else: this
// entry is tiny, and the app itself loads as a separate chunk in parallel. The one client
// of the page reaches the views through InferenceProvider (mount.tsx).
const inference = createBrowserInference(keepsFleet).start();
performance.mark('prognos:main'); // the bench's breakdown: entry script evaluated, worker asked for

void import('@/app/mount').then((m) => m.mount(document.getElementById('root')!, inference));
// The form's number format, from the browser's locale: the page's first Intl formatter (30-50 ms
// of locale data) is made here, while the app's chunk downloads, not in the first render.
formatFromLocale(navigator.language);

// Offline support: a while after the models are ready, a service worker precaches the site for
// next time (production builds only; it would cache stale modules under the dev server). Not at
// once: its install reads and stores every file (the 14 MB runtime too) on the same two cores
// that a first prediction, often asked for the moment the form is ready, needs.
const REGISTER_AFTER_MS = 2000;
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  inference.load().then(
    () => setTimeout(() => whenIdle(registerServiceWorker), REGISTER_AFTER_MS),
    () => undefined, // no models, no offline copy: the banner says why
  );
}

function registerServiceWorker(): void {
  void Promise.all([import('virtual:pwa-register'), import('@/app/update-store')]).then(([{ registerSW }, { updateStore }]) => {
    // A new deployment waits (registerType 'prompt'): the page says so and reloads only when asked.
    // The reload is ours, on the new worker taking control: workbox-window reloads only for a
    // page that was controlled when it opened, not for one first installed in this visit.
    const apply = () => {
      navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
      return updateSW(true);
    };
    const updateSW = registerSW({ immediate: true, onNeedReload: () => undefined, onNeedRefresh: () => updateStore.set({ apply }) });
  });
}

function whenIdle(fn: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(fn, { timeout: REGISTER_AFTER_MS });
  else fn();
}
