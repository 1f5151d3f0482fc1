// The bench generators' seeded random numbers (no dependencies: tests import the generators too).
// The same algorithm as src/domain/sample-data.ts seededRandom, which the app bundles; a .mjs
// script here cannot import that TypeScript module without a build step.

/** mulberry32: a small, fast, seedable 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
