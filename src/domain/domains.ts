import { parseDeclaration, toDomainSpec, type DomainSpec } from './declaration';
import type { DomainId } from './manifest';

export type { DomainSpec, Preset, SeedService } from './declaration';
export type { DomainId } from './manifest';

export interface DomainRegistry {
  /** In declaration order (`order`, then id): the order of the navigation. */
  list: readonly DomainSpec[];
  byId: ReadonlyMap<string, DomainSpec>;
}

/** Build the registry from parsed declaration files ({source path: JSON}). */
export function buildRegistry(files: Record<string, unknown>): DomainRegistry {
  const list = Object.entries(files)
    .map(([source, json]) => toDomainSpec(parseDeclaration(json, source)))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const byId = new Map<string, DomainSpec>();
  for (const d of list) {
    if (byId.has(d.id)) throw new Error(`Two domain declarations use the id "${d.id}"`);
    byId.set(d.id, d);
  }
  if (list.length === 0) throw new Error('No domain is declared (domains/*.json)');
  return { list, byId };
}

// Every declaration under domains/ is bundled; adding a domain adds a file there, nothing here.
const registry = buildRegistry(import.meta.glob('../../domains/*.json', { eager: true, import: 'default' }));

export const domainList: readonly DomainSpec[] = registry.list;

export function getDomain(id: DomainId): DomainSpec {
  const d = registry.byId.get(id);
  if (!d) throw new Error(`Unknown domain "${id}"`);
  return d;
}

export function isDomainId(id: string): boolean {
  return registry.byId.has(id);
}
