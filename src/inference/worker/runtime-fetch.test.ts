import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { instantiateChecked } from './runtime-fetch';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the runtime check', () => {
  it('hand over the runtime instance only once a copy of its bytes matched the pin, checked alongside the compile', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    const expected = sha(bytes);
    const body = () => new Response(bytes.slice().buffer);
    const instance = { module: {}, instance: {} } as WebAssembly.WebAssemblyInstantiatedSource;
    let compiledBytes = 0;
    // A stand-in compiler that reads the whole response, as the real one does.
    const compile = (async (r: Response | PromiseLike<Response>) => {
      compiledBytes = (await (await r).arrayBuffer()).byteLength;
      return instance;
    }) as typeof WebAssembly.instantiateStreaming;
    const checked: string[] = [];
    expect(await instantiateChecked(compile, body(), undefined, { expected, onChecked: () => checked.push('ok') })).toBe(instance);
    expect(compiledBytes).toBe(100_000);
    expect(checked).toEqual(['ok']);

    const changed = bytes.slice();
    changed[99_999]! ^= 1;
    await expect(instantiateChecked(compile, new Response(changed.buffer), undefined, { expected })).rejects.toThrow(
      new RegExp(`^The WebAssembly runtime is not the one this version of Prognos was built with \\(sha256 ${sha(changed).slice(0, 12)}…`),
    );
    // A compiler failure with matching bytes is the compiler's own error.
    const broken = (async () => Promise.reject(new Error('CompileError: bad'))) as typeof WebAssembly.instantiateStreaming;
    await expect(instantiateChecked(broken, body(), undefined, { expected })).rejects.toThrow('CompileError: bad');
  });
});
