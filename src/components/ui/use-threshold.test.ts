import { describe, expect, it } from 'vitest';
import { storedThreshold } from './use-threshold';

describe('remembered threshold', () => {
  const model = { threshold: 0.374 };
  it('applies only to the default it replaced, and only when it is a probability', () => {
    expect(storedThreshold(JSON.stringify({ t: 0.25, default: 0.374 }), model)).toBe(0.25);
    expect(storedThreshold(JSON.stringify({ t: 0.25, default: 0.4 }), model)).toBeNull();
    expect(storedThreshold(JSON.stringify({ t: 1.5, default: 0.374 }), model)).toBeNull();
    expect(storedThreshold('not json', model)).toBeNull();
    expect(storedThreshold(null, model)).toBeNull();
  });
});
