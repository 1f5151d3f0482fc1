import { parseDeclaration, toDomainSpec } from './declaration';
import { registryOf, type DomainRegistry } from './registry';

// Apart from registry.ts: the build validates the declarations with their schema; the page
// receives them validated (virtual:prognos-domains) and loads no schema code.

/** Validate declaration files ({source path: JSON}) and build the registry; the error names the file. */
export function buildRegistry(files: Record<string, unknown>): DomainRegistry {
  const list = Object.entries(files)
    .map(([source, json]) => toDomainSpec(parseDeclaration(json, source)))
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return registryOf(list);
}
