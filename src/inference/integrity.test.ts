import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreManifestJson } from '@/domain/manifest';
import { repoRoot } from '@/test/golden';
import { pins, sha256Hex, verifiedJson, verifyingStream } from './integrity';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const manifestText = readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8');
// What the build emits as models/manifest.core.json (src/build/model-core.ts).
const coreManifestText = (text: string) => JSON.stringify(coreManifestJson(JSON.parse(text)));

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(x);
      c.close();
    },
  });
}

async function readAll(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  const r = s.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) return n;
    n += value.byteLength;
  }
}

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

  it('pass a matching runtime through in pieces, and fail the stream of a changed one before it ends', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    const expected = sha(bytes);
    const outcomes: unknown[] = [];
    const n = await readAll(verifyingStream(streamOf(bytes.slice(0, 40_000), bytes.slice(40_000)), expected, (r) => outcomes.push(r)));
    expect(n).toBe(100_000);
    expect(outcomes).toEqual([{ ok: true, ms: expect.any(Number) }]);

    const changed = bytes.slice();
    changed[99_999]! ^= 1;
    const bad: { ok: boolean; message?: string }[] = [];
    await expect(readAll(verifyingStream(streamOf(changed), expected, (r) => bad.push(r)))).rejects.toThrow(/The WebAssembly runtime is not the one/);
    expect(bad[0]?.ok).toBe(false);
  });
});
