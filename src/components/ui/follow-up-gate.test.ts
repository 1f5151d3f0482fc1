import { describe, expect, it } from 'vitest';
import { createFollowUpGate } from './follow-up-gate';

describe('follow-up gate', () => {
  it('is open when nothing holds it', async () => {
    const gate = createFollowUpGate();
    await expect(gate.open()).resolves.toBeUndefined();
  });

  it('lets waiting work go only when every hold is released, each release counting once', async () => {
    const gate = createFollowUpGate();
    const first = gate.hold();
    const second = gate.hold();
    let went = false;
    const waiting = gate.open().then(() => {
      went = true;
    });
    first();
    first();
    await Promise.resolve();
    expect(went).toBe(false);
    second();
    await waiting;
    expect(went).toBe(true);
    // Held again: a new wait waits again.
    const third = gate.hold();
    let again = false;
    const next = gate.open().then(() => {
      again = true;
    });
    await Promise.resolve();
    expect(again).toBe(false);
    third();
    await next;
    expect(again).toBe(true);
  });
});
