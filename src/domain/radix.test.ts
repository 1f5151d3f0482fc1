import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankCurve, scoresByClass } from './metrics';
import { ONE_BITS, sortKeys30 } from './radix';

/** The first index where two arrays differ (or their lengths), or null: a million-value diff would take minutes to print. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}]: ${a[i]} and ${b[i]}`;
  return null;
}

const f32 = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);
/** Float32 bits of a probability: any in [+0, 1], or one of a few values that many rows share. */
const probBits = fc.oneof(fc.integer({ min: 0, max: ONE_BITS }), fc.constantFrom(0, ONE_BITS, 0x3f000000, 0x3e800000));

describe('sortKeys30', () => {
  it('sorts keys below 2^30 as the native sort does, and moves the payload stably with them', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 2 ** 30 - 1 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 400 }), (keys) => {
        const k = Uint32Array.from(keys);
        const idx = Int32Array.from(keys, (_, i) => i);
        sortKeys30(k, idx);
        expect(Array.from(k)).toEqual(Array.from(Uint32Array.from(keys).sort()));
        const stable = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
        expect(Array.from(idx)).toEqual(stable);
        const alone = Uint32Array.from(keys);
        sortKeys30(alone);
        expect(alone).toEqual(k);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a key of 2^30 or more, and a payload of another length', () => {
    expect(() => sortKeys30(Uint32Array.of(3, 2 ** 30, 1))).toThrow('key[1] is 1073741824; expected below 2^30');
    expect(() => sortKeys30(Uint32Array.of(1, 2), Int32Array.of(0))).toThrow('payload has 1 values but key has 2');
  });
});

describe('scoresByClass', () => {
  it('gives the same ascending scores by their bits as by the native sort', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1), probBits), { maxLength: 400 }), (rows) => {
        const y = rows.map(([t]) => t);
        const p = f32(rows.map(([, b]) => b));
        const positives = y.reduce<number>((a, t) => a + t, 0);
        const bits = scoresByClass(y, p, positives, 0);
        const native = scoresByClass(y, Array.from(p), positives);
        expect(bits.pos).toBeInstanceOf(Float32Array); // the radix path was taken
        expect(Array.from(bits.pos)).toEqual(Array.from(native.pos));
        expect(Array.from(bits.neg)).toEqual(Array.from(native.neg));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts natively when a float32 score is not in [+0, 1]: -0, above 1, negative', () => {
    for (const odd of [-0, 1.5, -0.25]) {
      const p = Float32Array.of(0.5, odd, 0, 1, 0.25);
      const y = [1, 0, 0, 1, 1];
      const out = scoresByClass(y, p, 3, 0);
      expect(out.neg).toBeInstanceOf(Float64Array);
      expect(Array.from(out.neg)).toEqual(Array.from(Float64Array.of(odd, 0).sort()));
      expect(Array.from(out.pos)).toEqual([0.25, 0.5, 1]);
    }
  });

  it('gives a million-row curve equal, threshold for threshold, to the native sort', () => {
    // Above RADIX_FROM: rankCurve takes the bits for a Float32Array and the native sort for an array.
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const n = 1_000_000;
    const p = new Float32Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = Math.round(rand() ** 3 * 4000) / 4000; // many ties, as a forest's votes give
      y[i] = rand() < p[i]! ? 1 : 0;
    }
    const bits = rankCurve(y, p);
    const native = rankCurve(y, Array.from(p));
    expect([bits.n, bits.positives, bits.negatives]).toEqual([native.n, native.positives, native.negatives]);
    for (const k of ['thresholds', 'tps', 'fps'] as const) expect(firstDifference(bits[k], native[k]), k).toBeNull();
  });
});
