import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileChecked, type RuntimeTimes } from './runtime-fetch';

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
});
