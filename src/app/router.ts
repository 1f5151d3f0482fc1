import { useSyncExternalStore } from 'react';

/** Hash routes, so that any static host serves every view and a bookmark opens the right one. */
export type Route =
  | { view: 'predict'; domain: 'heart' | 'device' }
  | { view: 'batch'; domain: 'heart' | 'device' }
  | { view: 'models' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const domain = parts[0] === 'device' ? 'device' : 'heart';
  if (parts[0] === 'models') return { view: 'models' };
  if (parts[1] === 'batch') return { view: 'batch', domain };
  return { view: 'predict', domain };
}

export function href(route: Route): string {
  if (route.view === 'models') return '#/models';
  return route.view === 'batch' ? `#/${route.domain}/batch` : `#/${route.domain}`;
}

function subscribe(fn: () => void) {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
