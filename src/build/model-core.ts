import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { coreManifestText } from './pins.ts';

/**
 * models/manifest.core.json: public/models/manifest.json without the card-only curves and
 * threshold tables (a tenth of its bytes), derived at build time so that training's output
 * stays byte for byte what training wrote. The worker starts from it; the card views fetch
 * the full file. Served by the dev server too.
 */
export function modelCore(manifestPath: string): Plugin {
  const core = () => coreManifestText(readFileSync(manifestPath, 'utf8'));
  return {
    name: 'prognos-model-core',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.split('?')[0]?.endsWith('/models/manifest.core.json')) return next();
        res.setHeader('content-type', 'application/json');
        res.end(core());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'models/manifest.core.json', source: core() });
    },
  };
}
