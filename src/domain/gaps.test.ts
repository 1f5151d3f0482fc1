import { describe, expect, it } from 'vitest';
import { devicesWithGap, gapsIn } from './gaps';

describe('gaps', () => {
  it('lists the stretches of more than N days without a reading', () => {
    // Days 1, 2, then 5 (2 missing), then 16 (10 missing), then 17.
    const days = [1, 2, 5, 16, 17];
    expect(gapsIn(days, 3)).toEqual([{ after: 5, before: 16, missing: 10 }]);
    expect(gapsIn(days, 1)).toEqual([
      { after: 2, before: 5, missing: 2 },
      { after: 5, before: 16, missing: 10 },
    ]);
    expect(gapsIn(days, 10)).toEqual([]);
    expect(gapsIn([7], 0)).toEqual([]);
  });

  it('counts the devices with at least one such gap, once each', () => {
    // Device 0: days 1..3 (no gap); device 1: 1, 9, 20 (two gaps of 7 and 10); device 2: 1, 6 (4 missing).
    const days = [1, 2, 3, 1, 9, 20, 1, 6];
    const entityStart = [0, 3, 6, 8];
    expect(devicesWithGap(days, entityStart, 3)).toBe(2);
    expect(devicesWithGap(days, entityStart, 7)).toBe(1);
    expect(devicesWithGap(days, entityStart, 10)).toBe(0);
  });
});
