/**
 * The WebAssembly runtime's own failures, in words a person can act on. The runtime reports
 * a host that blocks WebAssembly (a Content-Security-Policy without 'wasm-unsafe-eval') as
 * "RuntimeError: Aborted(CompileError: WebAssembly.instantiate(): ... violates the following
 * Content Security policy directive ...). Build with -sASSERTIONS for more info."
 */
export const WASM_BLOCKED =
  "This site's security policy blocks WebAssembly, which the models need: the host must add 'wasm-unsafe-eval' to script-src in its Content-Security-Policy header (see Deploy in the README).";

export function explainRuntimeError(message: string): string {
  if (/CompileError|WebAssembly/i.test(message) && /Content.Security.Policy|unsafe-eval/i.test(message)) return WASM_BLOCKED;
  return message;
}

/** The same error with its message explained (an Error keeps its class; anything else becomes one). */
export function explainedError(e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e);
  const explained = explainRuntimeError(message);
  if (explained === message) return e instanceof Error ? e : new Error(message);
  return new Error(explained, { cause: e });
}
