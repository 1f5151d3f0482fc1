import { useSyncExternalStore } from 'react';
import { domainList, isDomainId, type DomainId } from '@/domain/domains';

/** Hash routes, so that any static host serves every view and a bookmark opens the right one. */
export type Route =
  | { view: 'predict'; domain: DomainId }
  | { view: 'batch'; domain: DomainId }
  /** A domain's daily log ranked day by day; `device` opens one device's page. */
  | { view: 'fleet'; domain: DomainId; device: string | null }
  | { view: 'models' }
  | { view: 'integration' }
  /** The saved predictions of this browser (IndexedDB, opt-in); the route keeps its old name. */
  | { view: 'history' };

interface RoutedDomain {
  id: DomainId;
  nav: { predict: string; batch: string };
  /** A domain that replaces a service: its seed-compatible JSON is in the Integration view. */
  seed?: unknown;
  /** The Fleet view exists for a domain with a `history` section and a model that reads it. */
  history?: unknown;
  historyModelIds?: readonly string[];
}

const hasFleet = (d: RoutedDomain | undefined) => !!d && !!d.history && (d.historyModelIds?.length ?? 0) > 0;

const byId = (id: string) => domainList.find((d) => d.id === id);

/**
 * `#/<domain>`, `#/<domain>/batch`, `#/<domain>/fleet`, `#/<domain>/fleet/<device id>`,
 * `#/models`, `#/integration`, `#/history`; anything else opens the first declared domain.
 */
export function parseRoute(
  hash: string,
  isDomain: (id: string) => boolean = isDomainId,
  fallback: DomainId = domainList[0]!.id,
  fleetOf: (id: string) => boolean = (id) => hasFleet(byId(id)),
): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'models') return { view: 'models' };
  if (parts[0] === 'integration') return { view: 'integration' };
  if (parts[0] === 'history') return { view: 'history' };
  const domain = parts[0] !== undefined && isDomain(parts[0]) ? parts[0] : fallback;
  if (parts[1] === 'batch') return { view: 'batch', domain };
  if (parts[1] === 'fleet' && fleetOf(domain)) {
    let device: string | null = null;
    try {
      device = parts[2] !== undefined ? decodeURIComponent(parts.slice(2).join('/')) : null;
    } catch {
      device = null;
    }
    return { view: 'fleet', domain, device };
  }
  return { view: 'predict', domain };
}

export function href(route: Route): string {
  if (route.view === 'models') return '#/models';
  if (route.view === 'integration') return '#/integration';
  if (route.view === 'history') return '#/history';
  if (route.view === 'fleet') return `#/${route.domain}/fleet${route.device !== null ? `/${encodeURIComponent(route.device)}` : ''}`;
  return route.view === 'batch' ? `#/${route.domain}/batch` : `#/${route.domain}`;
}

/**
 * The navigation: each domain's form, then each domain's batch view, then fleets, then the
 * models, then Integration when some domain replaces a service (its seed-compatible JSON lives there).
 */
export function navigation(domains: readonly RoutedDomain[] = domainList) {
  return [
    ...domains.map((d) => ({ label: d.nav.predict, route: { view: 'predict', domain: d.id } as Route })),
    ...domains.map((d) => ({ label: d.nav.batch, route: { view: 'batch', domain: d.id } as Route })),
    ...domains.filter(hasFleet).map((d) => ({ label: `${d.nav.predict} fleet`, route: { view: 'fleet', domain: d.id, device: null } as Route })),
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
