/**
 * Gaps in a device's daily log: stretches of calendar days without a reading. The declaration
 * names how long a gap must be to count (`history.gap_days` in domains/device.json); the
 * summary counts the devices with one, a device's page lists them, and the ranking names the
 * devices that have stopped reporting.
 */

export interface Gap {
  /** The last day with a reading before the gap, and the first one after it (days since 1970-01-01). */
  after: number;
  before: number;
  /** Days without a reading between them. */
  missing: number;
}

/** The gaps of more than `longerThan` days in one device's sorted days `days[start..end)`. */
export function gapsIn(days: ArrayLike<number>, longerThan: number, start = 0, end = days.length): Gap[] {
  const out: Gap[] = [];
  for (let i = start + 1; i < end; i++) {
    const missing = days[i]! - days[i - 1]! - 1;
    if (missing > longerThan) out.push({ after: days[i - 1]!, before: days[i]!, missing });
  }
  return out;
}

/** Devices with at least one gap of more than `longerThan` days; `entityStart[e]..entityStart[e + 1]` are device e's readings. */
export function devicesWithGap(days: ArrayLike<number>, entityStart: ArrayLike<number>, longerThan: number): number {
  let n = 0;
  for (let e = 0; e + 1 < entityStart.length; e++) {
    for (let i = entityStart[e]! + 1; i < entityStart[e + 1]!; i++) {
      if (days[i]! - days[i - 1]! - 1 > longerThan) {
        n++;
        break;
      }
    }
  }
  return n;
}
