import { describe, expect, it } from 'vitest';
import { chunkTarget } from './fleet-score';

describe('chunkTarget', () => {
  it('takes full chunks while much is left, then shrinks them towards the end, never below the floor', () => {
    expect(chunkTarget(124_494, 2)).toBe(8192);
    expect(chunkTarget(20_000, 2)).toBe(5000);
    expect(chunkTarget(4000, 2)).toBe(1000);
    expect(chunkTarget(100, 2)).toBe(512);
    // One thread alone: the chunks shrink later (nothing waits on another core).
    expect(chunkTarget(20_000, 1)).toBe(8192);
  });

  it('cuts a fleet so that the last chunks, which a helper may still hold queued, are small', () => {
    // Walk the targets as scorePositions does (whole devices aside): the last three chunks,
    // what a helper holds at most (HELPER_DEPTH), add up to a small part of the log.
    const sizes: number[] = [];
    for (let left = 124_494; left > 0;) {
      const n = Math.min(left, chunkTarget(left, 2));
      sizes.push(n);
      left -= n;
    }
    const tail = sizes.slice(-3).reduce((a, b) => a + b, 0);
    expect(tail).toBeLessThan(2000);
    expect(sizes.length).toBeLessThan(40);
  });
});
