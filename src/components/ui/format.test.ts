import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactTicks, fmtInt, num, riskPct } from './format';

describe('riskPct', () => {
  it('shows whole percentages, one decimal below 1 % and above 99 %', () => {
    expect(riskPct(0.6982)).toBe('70 %');
    expect(riskPct(0.004)).toBe('0.4 %');
    expect(riskPct(0)).toBe('0.0 %');
    expect(riskPct(0.01)).toBe('1 %');
    expect(riskPct(0.996)).toBe('99.6 %');
    expect(riskPct(1)).toBe('100.0 %');
  });

  it('is never more than half a unit of its last digit away (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => {
        const m = /^(\d+(?:\.(\d))?) %$/.exec(riskPct(p))!;
        const step = m[2] === undefined ? 1 : 0.1;
        expect(Math.abs(Number(m[1]) - p * 100)).toBeLessThanOrEqual(step / 2 + 1e-9);
      }),
    );
  });
});

describe('compactTicks', () => {
  it('keeps ticks a small step apart on a large value distinct', () => {
    const f = compactTicks(303_600, 304_100);
    expect(new Set([303_600, 303_800, 304_000].map(f)).size).toBe(3);
    expect(f(304_000)).toBe('304K');
    expect(compactTicks(0, 3e8)(1.5e8)).toBe('150M');
  });
});

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
