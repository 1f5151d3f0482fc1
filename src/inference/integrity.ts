/**
 * Integrity of what the workers trust: the model list and the WebAssembly runtime must be
 * byte for byte what this bundle was built with (sha256 pinned at build, src/build/pins.ts).
 * Model files are pinned by the model list itself (Engine checks each file's sha256).
 */
declare const __PROGNOS_PINS__: { core: string; full: string; runtime: string };

export const pins = __PROGNOS_PINS__;

export async function sha256Hex(data: BufferSource): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  let s = '';
  for (const b of d) s += b.toString(16).padStart(2, '0');
  return s;
}

export function mismatchMessage(what: string, expected: string, got: string): string {
  return (
    `${what} is not the one this version of Prognos was built with (sha256 ${got.slice(0, 12)}…, expected ` +
    `${expected.slice(0, 12)}…): nothing was run. The site's files were changed or mixed from two versions; ` +
    'reload the page, and if this stays, tell whoever hosts it.'
  );
}

/** The JSON of a response whose bytes must have the pinned sha256; otherwise an error in words. */
export async function verifiedJson(res: Response, expected: string, what: string): Promise<unknown> {
  const bytes = await res.arrayBuffer();
  const got = await sha256Hex(bytes);
  if (got !== expected) throw new Error(mismatchMessage(what, expected, got));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Pass the runtime's bytes through as they arrive (the compiler still streams), keeping a copy;
 * at the end, check the sha256 and, on a mismatch, fail the stream instead of closing it, so a
 * streaming compile never completes and nothing is instantiated. `done` reports the outcome.
 */
export function verifyingStream(
  body: ReadableStream<Uint8Array>,
  expected: string,
  done: (r: { ok: true; ms: number } | { ok: false; message: string }) => void,
): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        parts.push(chunk);
        size += chunk.byteLength;
        controller.enqueue(chunk);
      },
      async flush(controller) {
        const all = new Uint8Array(size);
        let o = 0;
        for (const p of parts) {
          all.set(p, o);
          o += p.byteLength;
        }
        parts.length = 0;
        const t0 = performance.now();
        const got = await sha256Hex(all);
        if (got !== expected) {
          const message = mismatchMessage('The WebAssembly runtime', expected, got);
          done({ ok: false, message });
          controller.error(new Error(message));
          return;
        }
        done({ ok: true, ms: performance.now() - t0 });
      },
    }),
  );
}
