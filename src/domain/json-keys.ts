/**
 * JSON.parse keeps the last of two equal keys in an object and says nothing. This scanner
 * walks text that JSON.parse has already accepted and reports the first key that appears
 * twice in one object, with its path, so that `{"a":999,"a":20}` is refused, not read as 20.
 * One pass, no values built: a 10 MB string is skipped in one indexOf loop.
 */

export interface DuplicateKey {
  /** The key as decoded ("\u0061" and "a" are the same key). */
  key: string;
  /** Keys of the enclosing objects, outermost first ([] at the top level). */
  path: string[];
}

/** Index just past the closing quote of the string whose opening quote is at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q === -1) return text.length;
    // The quote is escaped when an odd number of backslashes precede it.
    let bs = 0;
    for (let k = q - 1; k > start && text.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** First duplicate key of valid JSON text, or null. Call it only on text JSON.parse accepted. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  // One frame per open object or array: its keys so far (null for an array) and its own key.
  const stack: { keys: Set<string> | null; name: string }[] = [];
  let pendingKey = '';
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const raw = text.slice(i, end);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) return { key, path: stack.slice(1).map((f) => f.name) };
        top.keys.add(key);
        pendingKey = key;
        expectKey = false;
      }
      i = end - 1;
    } else if (c === 123 /* { */) {
      stack.push({ keys: new Set(), name: pendingKey });
      expectKey = true;
    } else if (c === 91 /* [ */) {
      stack.push({ keys: null, name: pendingKey });
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      expectKey = stack[stack.length - 1]?.keys != null;
    }
  }
  return null;
}

/** A value as a short preview for a message: a long string or value is cut, with its length. */
export function previewValue(v: unknown, max = 40): string {
  if (typeof v === 'string') {
    // Never stringify 10 MB to cut it.
    return v.length <= max ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, max)).slice(0, -1)}…" (${v.length.toLocaleString('en-US')} characters)`;
  }
  return previewText(JSON.stringify(v) ?? String(v), max);
}

/** Text cut to `max` characters, with its length when cut. */
export function previewText(s: string, max = 40): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length.toLocaleString('en-US')} characters)`;
}
