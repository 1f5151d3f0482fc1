import { describe, expect, it } from 'vitest';
import { storedCutoff } from './use-cutoff';

describe('remembered threshold', () => {
  const model = { threshold: 0.374 };
  it('applies only to the default it replaced, and only when it is a probability', () => {
    expect(storedCutoff(JSON.stringify({ t: 0.25, default: 0.374 }), model)).toBe(0.25);
    expect(storedCutoff(JSON.stringify({ t: 0.25, default: 0.4 }), model)).toBeNull();
    expect(storedCutoff(JSON.stringify({ t: 1.5, default: 0.374 }), model)).toBeNull();
    expect(storedCutoff('not json', model)).toBeNull();
    expect(storedCutoff(null, model)).toBeNull();
  });
});
