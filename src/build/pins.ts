import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { coreManifestText } from '../domain/manifest.ts';

/**
 * The sha256 of what the app trusts at run time, computed when the bundle is built and
 * compiled into it (`__PROGNOS_PINS__`): the model list the worker starts from
 * (models/manifest.core.json, derived exactly as model-core.ts emits it), the full model
 * cards (models/manifest.json) and the WebAssembly runtime. A host that swaps any of them
 * (class labels, a model file together with its manifest entry, the runtime) is refused.
 */
export interface Pins {
  core: string;
  full: string;
  runtime: string;
}

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

export { coreManifestText };

export function integrityPins(manifestPath: string, runtimePath: string): Pins {
  const full = readFileSync(manifestPath);
  const core = coreManifestText(full.toString('utf8'));
  return { core: sha256(core), full: sha256(full), runtime: sha256(readFileSync(runtimePath)) };
}
