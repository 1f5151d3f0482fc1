import { useSyncExternalStore } from 'react';
import { domainList, isDomainId, type DomainId } from '@/domain/domains';

/** Hash routes, so that any static host serves every view and a bookmark opens the right one. */
export type Route = { view: 'predict'; domain: DomainId } | { view: 'batch'; domain: DomainId } | { view: 'models' } | { view: 'integration' } | { view: 'history' };

/** `#/<domain>`, `#/<domain>/batch`, `#/models`, `#/integration`; anything else opens the first declared domain. */
export function parseRoute(hash: string, isDomain: (id: string) => boolean = isDomainId, fallback: DomainId = domainList[0]!.id): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'models') return { view: 'models' };
  if (parts[0] === 'integration') return { view: 'integration' };
  if (parts[0] === 'history') return { view: 'history' };
  const domain = parts[0] !== undefined && isDomain(parts[0]) ? parts[0] : fallback;
  if (parts[1] === 'batch') return { view: 'batch', domain };
  return { view: 'predict', domain };
}

export function href(route: Route): string {
  if (route.view === 'models') return '#/models';
  if (route.view === 'integration') return '#/integration';
  if (route.view === 'history') return '#/history';
  return route.view === 'batch' ? `#/${route.domain}/batch` : `#/${route.domain}`;
}

/**
 * The navigation: each domain's form, then each domain's batch view, then the models, then
 * Integration when some domain replaces a service (its seed-compatible JSON lives there).
 */
export function navigation(domains: readonly { id: DomainId; nav: { predict: string; batch: string }; seed?: unknown }[] = domainList) {
  return [
    ...domains.map((d) => ({ label: d.nav.predict, route: { view: 'predict', domain: d.id } as Route })),
    ...domains.map((d) => ({ label: d.nav.batch, route: { view: 'batch', domain: d.id } as Route })),
    { label: 'Models', route: { view: 'models' } as Route },
    { label: 'History', route: { view: 'history' } as Route },
    ...(domains.some((d) => d.seed) ? [{ label: 'Integration', route: { view: 'integration' } as Route }] : []),
  ];
}

function subscribe(fn: () => void) {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
