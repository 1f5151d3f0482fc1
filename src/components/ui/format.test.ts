import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmtInt, num } from './format';

describe('num and fmtInt', () => {
  it("write what toLocaleString('en-US') writes, for any number and number of decimals (property)", () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.integer({ min: 0, max: 6 }),
        (x, digits) => num(x, digits) === x.toLocaleString('en-US', { maximumFractionDigits: digits }),
      ),
    );
    fc.assert(fc.property(fc.integer(), (n) => fmtInt(n) === n.toLocaleString('en-US')));
    expect(num(1234.56789)).toBe('1,234.568');
  });
});
