import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreManifestText } from '@/domain/manifest';
import { repoRoot } from '@/test/golden';
import { pins, sha256Hex, verifiedJson } from './integrity';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const manifestText = readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8');

describe('integrity pins', () => {
  it('are the sha256 of the model lists and of the runtime this bundle is built with', () => {
    expect(pins.full).toBe(sha(manifestText));
    expect(pins.core).toBe(sha(coreManifestText(manifestText)));
    expect(pins.runtime).toBe(sha(readFileSync(new URL('node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', repoRoot))));
  });

  it('accept the pinned model list and refuse one with its class labels swapped, saying so in words', async () => {
    const core = coreManifestText(manifestText);
    expect(await sha256Hex(new TextEncoder().encode(core))).toBe(pins.core);
    const ok = (await verifiedJson(new Response(core), pins.core, 'The model list')) as { models: unknown[] };
    expect(ok.models.length).toBeGreaterThan(0);
    const swapped = core.replace('["survival","dead"]', '["dead","survival"]');
    expect(swapped).not.toBe(core);
    await expect(verifiedJson(new Response(swapped), pins.core, 'The model list')).rejects.toThrow(
      /^The model list is not the one this version of Prognos was built with \(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\): nothing was run/,
    );
  });
});
