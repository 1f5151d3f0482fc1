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

/** Bytes that are not the ones pinned at build: the message says so in words. */
export class IntegrityError extends Error {}

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
  if (got !== expected) throw new IntegrityError(mismatchMessage(what, expected, got));
  return JSON.parse(new TextDecoder().decode(bytes));
}
