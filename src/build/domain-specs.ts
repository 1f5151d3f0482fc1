import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { buildRegistry } from '../domain/build-registry.ts';

const ID = 'virtual:prognos-domains';
const RESOLVED = `\0${ID}`;

/**
 * `virtual:prognos-domains`: every domains/*.json validated with the declaration schema when the
 * app is built (or served, or tested) and turned into the DomainSpec list the app uses, as plain
 * JSON. A bad declaration fails the build, naming the file and key; the page never runs the schema.
 */
export function domainSpecs(dir: string): Plugin {
  return {
    name: 'prognos-domain-specs',
    resolveId: (id) => (id === ID ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      const files: Record<string, unknown> = {};
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
        const path = join(dir, name);
        this.addWatchFile(path);
        files[`domains/${name}`] = JSON.parse(readFileSync(path, 'utf8'));
      }
      return `export default ${JSON.stringify(buildRegistry(files).list)};`;
    },
  };
}
