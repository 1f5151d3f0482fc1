import type { DomainSpec } from './domain-spec';

export interface DomainRegistry {
  /** In declaration order (`order`, then id): the order of the navigation. */
  list: readonly DomainSpec[];
  byId: ReadonlyMap<string, DomainSpec>;
}

/** The registry of domains already validated (the list the build bundles). */
export function registryOf(list: readonly DomainSpec[]): DomainRegistry {
  const byId = new Map<string, DomainSpec>();
  for (const d of list) {
    if (byId.has(d.id)) throw new Error(`Two domain declarations use the id "${d.id}"`);
    byId.set(d.id, d);
  }
  if (list.length === 0) throw new Error('No domain is declared (domains/*.json)');
  return { list, byId };
}
