import { describe, expect, it } from 'vitest';
import { errorMessage, isAbortError } from '@/domain/errors';

describe('errorMessage', () => {
  it("gives an Error's message, and any other thrown value as text", () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage(new DOMException('Aborted', 'AbortError'))).toBe('Aborted');
    expect(errorMessage('worker gone')).toBe('worker gone');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
  });

  it('reads the message of a JSON.parse failure', () => {
    let thrown: unknown;
    try {
      JSON.parse('{');
    } catch (e) {
      thrown = e;
    }
    expect(errorMessage(thrown)).toMatch(/JSON/);
  });
});

describe('isAbortError', () => {
  it('is true for an abort (DOMException or any Error named AbortError), false otherwise', () => {
    expect(isAbortError(new DOMException('Aborted', 'AbortError'))).toBe(true);
    const ac = new AbortController();
    ac.abort();
    expect(isAbortError(ac.signal.reason)).toBe(true);
    expect(isAbortError(Object.assign(new Error('stop'), { name: 'AbortError' }))).toBe(true);
    expect(isAbortError(new Error('AbortError'))).toBe(false);
    expect(isAbortError(new DOMException('x', 'TimeoutError'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
    expect(isAbortError(null)).toBe(false);
    expect(isAbortError(undefined)).toBe(false);
  });
});
