import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { findDuplicateKey, previewValue } from './json-keys';

const RUNS = 10_000;

/** JSON text of a value with, in one object, one key written twice (the second time maybe escaped). */
const withDuplicate = fc
  .tuple(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 5 }), fc.jsonValue(), fc.boolean(), fc.nat(4))
  .map(([obj, extra, escape, depth]) => {
    const key = Object.keys(obj)[0]!;
    const escaped = escape ? `"${[...key].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);
    let text = `${JSON.stringify(obj).slice(0, -1)},${escaped}:${JSON.stringify(extra)}}`;
    const path: string[] = [];
    for (let d = 0; d < depth; d++) {
      path.unshift(`k${d}`);
      text = d % 2 ? `{"k${d}":${text},"z":[1,{"a":2}]}` : `{"k${d}":[${text}]}`;
    }
    return { text, key, path };
  });

describe('duplicate keys in JSON', () => {
  it('finds none in any JSON.stringify output (property)', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        n++;
        expect(findDuplicateKey(JSON.stringify(v, null, n % 2 ? 2 : undefined))).toBeNull();
      }),
      { numRuns: RUNS },
    );
    console.log(`seed JSON parser: ${n} generated JSON values without duplicates`);
    expect(n).toBeGreaterThanOrEqual(RUNS);
  });

  it('finds a key written twice in one object, at any depth, escaped or not (property)', () => {
    let n = 0;
    fc.assert(
      fc.property(withDuplicate, ({ text, key }) => {
        n++;
        expect(JSON.parse(text)).toBeDefined();
        expect(findDuplicateKey(text)?.key).toBe(key);
      }),
      { numRuns: RUNS },
    );
    console.log(`seed JSON parser: ${n} generated JSON texts with a duplicate key`);
  });

  it('names the path and tells the same key in different objects apart', () => {
    expect(findDuplicateKey('{"a":{"x":1},"b":{"x":2}}')).toBeNull();
    expect(findDuplicateKey('{"a":{"x":1,"y":[{"x":1,"\\"x":2}],"x":3}}')).toEqual({ key: 'x', path: ['a'] });
    expect(findDuplicateKey('[{"a":1},{"a":1}]')).toBeNull();
    expect(findDuplicateKey('{"a\\\\":1,"a\\\\":2}')).toEqual({ key: 'a\\', path: [] });
  });

  it('cuts a long value to a short preview, without serialising the whole of it', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    // The cost that matters is what gets serialised (a timed assertion is flaky on a busy machine).
    const stringify = vi.spyOn(JSON, 'stringify');
    const p = previewValue(big);
    const longest = Math.max(...stringify.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0].length : 0)));
    stringify.mockRestore();
    expect(longest).toBeLessThanOrEqual(40);
    expect(p).toBe(`"${'x'.repeat(40)}…" (10,485,760 characters)`);
    expect(previewValue([1, 2])).toBe('[1,2]');
  });
});
