import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { compileChecked, prepareRuntime, type RuntimeTimes } from './runtime-fetch';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// The smallest valid module: magic number and version, no sections.
const emptyModule = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const wasmResponse = (b: Uint8Array, type = 'application/wasm') => new Response(b.slice().buffer, { headers: { 'content-type': type } });

describe('the runtime check', () => {
  it('hands over the compiled module only once its bytes matched the pin, checked alongside the compile', async () => {
    const times: RuntimeTimes = { fetched: null, checked: null, compiled: null };
    const module = await compileChecked(wasmResponse(emptyModule), { expected: sha(emptyModule), times });
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(await WebAssembly.instantiate(module)).toBeInstanceOf(WebAssembly.Instance);
    expect(times.fetched).toBeTypeOf('number');
    expect(times.checked! >= times.fetched!).toBe(true);
    expect(times.compiled).toBeTypeOf('number');
  });

  it('refuses changed bytes in words, even when they compile', async () => {
    // A custom section appended: still a valid module, but not the pinned bytes.
    const changed = new Uint8Array([...emptyModule, 0x00, 0x03, 0x01, 0x78, 0x00]);
    expect(WebAssembly.validate(changed)).toBe(true);
    await expect(compileChecked(wasmResponse(changed), { expected: sha(emptyModule) })).rejects.toThrow(
      new RegExp(`^The WebAssembly runtime is not the one this version of Prognos was built with \\(sha256 ${sha(changed).slice(0, 12)}…`),
    );
  });

  it('compiles the bytes it read, once, whatever type the host gives them', async () => {
    const compiledBytes: number[] = [];
    const module = await compileChecked(wasmResponse(emptyModule, 'application/octet-stream'), {
      expected: sha(emptyModule),
      compileBytes: (b: ArrayBuffer) => {
        compiledBytes.push(b.byteLength);
        return WebAssembly.compile(b);
      },
    });
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(compiledBytes).toEqual([emptyModule.length]);
  });

  it('gives the compiler its own error for matching bytes that do not compile', async () => {
    const notWasm = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    await expect(compileChecked(wasmResponse(notWasm), { expected: sha(notWasm) })).rejects.toThrow(WebAssembly.CompileError);
  });

  it('says the bytes are not the pinned runtime, not why they fail to compile, when both are true', async () => {
    const notWasm = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    await expect(compileChecked(wasmResponse(notWasm), { expected: sha(emptyModule) })).rejects.toThrow(/^The WebAssembly runtime is not the one/);
  });

  it('a runtime prepared after other work (a kept fleet read first) is not asked for until that work has settled, failed or not', async () => {
    vi.stubGlobal('self', { location: { href: 'http://x/assets/inference.worker.js' } });
    try {
      for (const outcome of ['done', 'failed'] as const) {
        const asked: string[] = [];
        let settle!: () => void;
        const first = new Promise<void>((resolve, reject) => (settle = outcome === 'done' ? resolve : () => reject(new Error('unreadable'))));
        const prepared = prepareRuntime(
          (async (u: RequestInfo | URL) => {
            asked.push(String(u));
            return wasmResponse(emptyModule);
          }) as typeof fetch,
          first,
        );
        await new Promise((r) => setTimeout(r, 20));
        expect(asked).toEqual([]);
        settle();
        // The stand-in bytes are not the pinned runtime: refused, after they were asked for once.
        await expect(prepared.module).rejects.toThrow(/runtime/i);
        expect(asked).toHaveLength(1);
        expect(asked[0]).toMatch(/^http:\/\/x\/.*\.wasm$/);
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
