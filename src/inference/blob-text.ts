import type { TextSource } from '@/domain/csv/stream';

/**
 * A Blob (or File) as a text source for streamCsv: read with Blob.stream(), decoded as
 * UTF-8, so a large file is never one string. Lives here, not in domain/, because it reads.
 */
export function blobText(input: Blob): TextSource {
  return async function* (pieceChars, progress) {
    progress.totalBytes = input.size;
    const reader = input.stream().getReader();
    // ignoreBOM false (the default): the decoder drops a leading UTF-8 BOM.
    const decoder = new TextDecoder('utf-8');
    try {
      for (;;) {
        const { done, value } = await reader.read();
        const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
        if (!done) progress.bytesRead += value.byteLength;
        for (let i = 0; i < text.length; i += pieceChars) yield text.slice(i, i + pieceChars);
        if (done) return;
      }
    } finally {
      // Stops the underlying read when the consumer leaves early (abort, refusal, failure).
      reader.cancel().catch(() => undefined);
    }
  };
}
