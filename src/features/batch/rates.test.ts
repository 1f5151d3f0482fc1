import { describe, expect, it } from 'vitest';
import { rates } from './rates';

describe('rates', () => {
  it('derives rows per second and time left from bytes', () => {
    const r = rates({
      rowsRead: 1000,
      rowsScored: 990,
      rowsRejected: 10,
      bytesRead: 250,
      totalBytes: 1000,
      elapsedMs: 500,
      parseMs: 0,
      scoreMs: 0,
      waitMs: 0,
      helperRows: 0,
    });
    expect(r.rowsPerSecond).toBe(2000);
    expect(r.secondsLeft).toBeCloseTo(1.5);
  });
});
