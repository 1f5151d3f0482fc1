import { describe, expect, it } from 'vitest';
import { explainRuntimeError, WASM_BLOCKED } from './runtime-errors';

describe('runtime errors in words', () => {
  it('turns the runtime report of a host blocking WebAssembly into one sentence', () => {
    const raw =
      "no available backend found. ERR: [wasm] RuntimeError: Aborted(CompileError: WebAssembly.instantiate(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\".). Build with -sASSERTIONS for more info.";
    expect(explainRuntimeError(raw)).toBe(WASM_BLOCKED);
    expect(WASM_BLOCKED).not.toMatch(/ASSERTIONS/);
  });

  it('leaves other errors alone', () => {
    expect(explainRuntimeError('device-rf.onnx does not match the manifest')).toBe('device-rf.onnx does not match the manifest');
  });
});
