/** Hex sha256 of bytes with SubtleCrypto (browser, worker and Node 20 alike). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ChecksumError extends Error {}

/** Refuse model bytes whose sha256 differs from the manifest's. */
export async function verifyChecksum(file: string, bytes: ArrayBuffer, expected: string): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== expected) {
    throw new ChecksumError(
      `Model file ${file} does not match the manifest (sha256 ${actual.slice(0, 12)}…, expected ${expected.slice(0, 12)}…). ` +
        'It may be corrupted or from another version: no prediction is made with it.',
    );
  }
}
