import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countOf, noun, thousands } from './words';

describe('count and noun', () => {
  it('agree with the number', () => {
    expect(countOf(1, 'reading')).toBe('1 reading');
    expect(countOf(0, 'reading')).toBe('0 readings');
    expect(countOf(2, 'device')).toBe('2 devices');
    expect(countOf(1168, 'device')).toBe('1,168 devices');
    expect(countOf(1, 'duplicate set aside', 'duplicates set aside')).toBe('1 duplicate set aside');
    expect(countOf(3, 'duplicate set aside', 'duplicates set aside')).toBe('3 duplicates set aside');
    expect(noun(1, 'inspection is', 'inspections are')).toBe('inspection is');
    expect(noun(5, 'inspection is', 'inspections are')).toBe('inspections are');
  });
});

describe('thousands', () => {
  it("writes what toLocaleString('en-US') writes, for any number (property)", () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: false })), (n) => thousands(n) === n.toLocaleString('en-US')));
    expect(thousands(1168)).toBe('1,168');
  });
});
