// Every declaration under domains/ is validated when the app is built (src/build/domain-specs.ts,
// with declaration.ts's schema) and bundled as plain data: adding a domain adds a file there,
// nothing here, and the page never runs the schema.
import specs from 'virtual:prognos-domains';
import type { DomainSpec } from './domain-spec';
import type { DomainId } from './manifest';
import { registryOf } from './registry';

export type { DomainSpec, Preset, SeedService } from './domain-spec';
export type { DomainId } from './manifest';

const registry = registryOf(specs);

export const domainList: readonly DomainSpec[] = registry.list;

export function getDomain(id: DomainId): DomainSpec {
  const d = registry.byId.get(id);
  if (!d) throw new Error(`Unknown domain "${id}"`);
  return d;
}

export function isDomainId(id: string): boolean {
  return registry.byId.has(id);
}
