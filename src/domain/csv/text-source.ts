import type { CsvProgress } from './stream';

/*
 * Where streamCsv's text comes from: a string here, a Blob in inference/worker/blob-text.ts (domain
 * reads no file itself).
 */

/** What a text source reports while it is read: bytes consumed and the total. */
export type ReadProgress = Pick<CsvProgress, 'bytesRead' | 'totalBytes' | 'encoding'>;

/**
 * Thrown by a text source whose bytes stop being text: the text before the problem was
 * yielded first, so streamCsv names the line the problem is on.
 */
export class TextDecodeProblem extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/**
 * Where the text comes from: decoded pieces of at most `pieceChars`, setting
 * `progress.totalBytes` when it starts and advancing `progress.bytesRead` as it goes.
 * A string is read by stringPieces; a Blob by blobText (inference/worker/blob-text.ts).
 */
export type TextSource = (pieceChars: number, progress: ReadProgress) => AsyncIterable<string>;

/** A string in pieces; progress counts UTF-16 code units. */
export function stringPieces(input: string): TextSource {
  return async function* (pieceChars, progress) {
    progress.totalBytes = input.length;
    for (let i = 0; i < input.length; i += pieceChars) {
      const piece = input.slice(i, i + pieceChars);
      progress.bytesRead = Math.min(input.length, i + pieceChars);
      yield piece;
    }
  };
}

/** Thrown by a source whose file is not what it should be (a damaged Parquet file): its message is the one sentence shown. */
export class FileProblem extends Error {}
