import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dropRoom, giveBackRoom, makeRoomFor, ROOM_AFTER_READ_MS, ROOM_AFTER_WRITE_MS, roomFor, takeRoom } from './log-room';

const log = (readings: number, devices: number) => ({ day: new Int32Array(readings), entities: Array.from({ length: devices }, (_, i) => `D${i}`) });
const keys = ['day', 'label', 'line', 'source', 'values', 'p1'] as const;

describe('log-room: columns made ahead for the next append', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    dropRoom();
  });
  afterEach(() => {
    dropRoom();
    vi.useRealTimers();
  });

  it('is made a moment after a kept log is held, sized for two more readings of each device, and taken once', async () => {
    makeRoomFor(log(5000, 100), 3);
    expect(takeRoom(5100, 3)).toBeUndefined(); // nothing made yet: the worker's answers come first
    makeRoomFor(log(5000, 100), 3);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS + 100);
    const cap = roomFor(log(5000, 100));
    expect(cap).toBe(5000 + 200 + 1024);
    const room = takeRoom(5100, 3)!;
    expect(room.day.length).toBe(cap);
    expect(room.values.length).toBe(cap * 3);
    for (const k of keys) expect(room[k].every((x) => x === 0)).toBe(true);
    expect(takeRoom(5100, 3)).toBeUndefined();
  });

  it('is not used for a merge it cannot hold, nor for another number of inputs, and is let go either way', async () => {
    makeRoomFor(log(1000, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    expect(takeRoom(roomFor(log(1000, 10)) + 1, 2)).toBeUndefined();
    expect(takeRoom(10, 2)).toBeUndefined();
    makeRoomFor(log(1000, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    expect(takeRoom(10, 3)).toBeUndefined();
    expect(takeRoom(10, 2)).toBeUndefined();
  });

  it('is kept when the log held again still fits it (a compaction, the next append), and made again when it does not', async () => {
    makeRoomFor(log(1000, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    makeRoomFor(log(1010, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    const kept = takeRoom(1000, 2)!;
    expect(kept.day.length).toBe(roomFor(log(1000, 10)));
    makeRoomFor(log(1000, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    makeRoomFor(log(100_000, 10), 2); // a much longer log: the room made for the short one is let go
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    expect(takeRoom(100_000, 2)!.day.length).toBe(roomFor(log(100_000, 10)));
  });

  it('is touched a few megabytes per task, so that the worker answers between them, and can be taken before it is done', async () => {
    makeRoomFor(log(1_000_000, 8000), 9); // about 95 MB of columns
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    expect(vi.getTimerCount()).toBe(1); // the touching goes on in later tasks
    const room = takeRoom(1_000_000, 9)!;
    expect(room.values.length).toBe(roomFor(log(1_000_000, 8000)) * 9);
    expect(vi.getTimerCount()).toBe(0); // taken: the touching stops
  });

  it('waits longer for a log read back (a page opening on it draws its list first) than for one this worker wrote', async () => {
    makeRoomFor(log(1000, 10), 2, ROOM_AFTER_READ_MS);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_READ_MS - ROOM_AFTER_WRITE_MS);
    expect(takeRoom(1000, 2)?.day.length).toBe(roomFor(log(1000, 10)));
  });

  it('is let go with the kept log', async () => {
    makeRoomFor(log(1000, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    dropRoom();
    expect(takeRoom(10, 2)).toBeUndefined();
  });

  it('is the room again when the append that took it is not kept, unless another is made or being made since', async () => {
    makeRoomFor(log(1000, 10), 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    const taken = takeRoom(1000, 2)!;
    giveBackRoom(taken, 2);
    expect(takeRoom(1000, 2)).toBe(taken);
    makeRoomFor(log(2000, 10), 2); // a log kept meanwhile: its own room is on its way
    giveBackRoom(taken, 2);
    await vi.advanceTimersByTimeAsync(ROOM_AFTER_WRITE_MS);
    expect(takeRoom(1000, 2)?.day.length).toBe(roomFor(log(2000, 10)));
  });
});
