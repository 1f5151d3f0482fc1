import { describe, expect, it } from 'vitest';
import { thin } from './chart-data';

describe('thin', () => {
  it('keeps short curves whole', () => {
    expect(thin([1, 2, 3], 11)).toEqual([1, 2, 3]);
  });
  it('keeps n evenly spread points, the first and last included', () => {
    const xs = Array.from({ length: 201 }, (_, i) => i);
    expect(thin(xs, 11)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(thin(xs, 2)).toEqual([0, 200]);
  });
});
