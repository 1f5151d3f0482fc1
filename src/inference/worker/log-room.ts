import type { KeptLog, LogRoom } from '@/domain/fleet-workspace';

/**
 * Room for the next append's merged log, made while the worker is idle. A merge writes every
 * reading of the log into new columns, and in Chromium writing newly allocated memory costs
 * several times what writing memory already touched costs: the kernel maps each page on its first
 * write (64 MB copied in a worker: 29-46 ms into a new array, 5-8 ms into one written before).
 * So once a kept log is held, columns for it and two more readings of every device are
 * allocated and touched, a few megabytes per task, and the next append merges into them
 * (mergeLog's `room`). The room belongs to this module alone until an append takes it; then it
 * belongs to the merged log. Its cost is memory: about one more log's columns while a kept
 * log is held.
 */

/** Bytes touched per task, so that a question asked meanwhile waits a millisecond or two at most. */
const TOUCH_BYTES = 4 << 20;
/**
 * After a kept log is remembered, the worker waits this long before it makes room: after it
 * wrote the log (a load or an append kept), for the list's first question; after it read it back
 * (a page opening on it), for the list and its first questions, about a second on a million readings.
 */
export const ROOM_AFTER_WRITE_MS = 200;
export const ROOM_AFTER_READ_MS = 1000;

let room: { nIn: number; cols: LogRoom } | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

/** Readings of room for a log: its readings, two more of each device, and some new devices. */
export const roomFor = (log: Pick<KeptLog, 'day' | 'entities'>) => log.day.length + 2 * log.entities.length + 1024;

/** The room, for a merge of `cap` readings of `nIn` inputs; taken either way (a room that does not fit is let go). */
export function takeRoom(cap: number, nIn: number): LogRoom | undefined {
  const r = room;
  room = null;
  if (timer) clearTimeout(timer);
  timer = null;
  return r && r.nIn === nIn && r.cols.day.length >= cap ? r.cols : undefined;
}

/**
 * A room taken by an append that was not kept (cancelled, or failed before its log was kept): it
 * still fits the kept log it was made for, so it is the room again, unless another was made or
 * is being made since.
 */
export function giveBackRoom(cols: LogRoom, nIn: number): void {
  if (room || timer) return;
  room = { nIn, cols };
}

/** Make room for the next append to `log` (nothing if the room made already fits it). */
export function makeRoomFor(log: Pick<KeptLog, 'day' | 'entities'>, nIn: number, after = ROOM_AFTER_WRITE_MS): void {
  const cap = roomFor(log);
  if (room && room.nIn === nIn && room.cols.day.length >= log.day.length + log.entities.length && room.cols.day.length <= 2 * cap) return;
  dropRoom();
  timer = setTimeout(() => {
    const cols: LogRoom = {
      day: new Int32Array(cap),
      label: new Int8Array(cap),
      line: new Int32Array(cap),
      source: new Uint16Array(cap),
      values: new Float64Array(cap * nIn),
      p1: new Float32Array(cap),
    };
    room = { nIn, cols };
    touch(cols, Object.values(cols), 0, 0);
  }, after);
}

/** Write each column once, TOUCH_BYTES per task, while the room is still this one. */
function touch(cols: LogRoom, arrays: LogRoom[keyof LogRoom][], a: number, from: number): void {
  if (room?.cols !== cols || a === arrays.length) {
    timer = null;
    return;
  }
  const arr = arrays[a]!;
  const to = Math.min(arr.length, from + Math.max(1, Math.floor(TOUCH_BYTES / arr.BYTES_PER_ELEMENT)));
  arr.fill(0, from, to);
  timer = setTimeout(() => (to === arr.length ? touch(cols, arrays, a + 1, 0) : touch(cols, arrays, a, to)), 0);
}

/** Let the room go (the kept log is no longer held). */
export function dropRoom(): void {
  room = null;
  if (timer) clearTimeout(timer);
  timer = null;
}
