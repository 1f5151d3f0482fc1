import { formatProbability } from '@/domain/csv/write';
import type { DayList } from './fleet-rank';
import type { ScoredFleet } from './fleet-rank';
import { entityFeatures, formatIsoDay } from './history';

/** The Fleet view's downloads: a day's ranking, and every scored reading with its features. */

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

/**
 * A text cell a spreadsheet will not run: one starting with = + - @ or a tab/CR (and not a
 * plain number, so -3 stays a number) gets a leading apostrophe (OWASP's CSV injection advice).
 */
export function safeCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !NUMBER.test(s) ? `'${s}` : s;
}

// RFC 4180 quoting where a cell needs it (the batch writer's rule), CRLF line ends.
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;
const quote = (s: string) => (NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const line = (cells: readonly string[]) => cells.map(quote).join(',') + '\r\n';

export function rankingCsv(list: DayList, entityColumn: string, dateColumn: string): string {
  // With inspections applied: when each held-back device comes back (empty: not held back).
  const holds = list.devices.some((d) => d.hold);
  const head = [
    'rank',
    entityColumn,
    dateColumn,
    'probability',
    'above_threshold',
    `in_top_${list.k}`,
    'streak_days',
    'moved_most',
    ...(holds ? ['held_back_until'] : []),
  ];
  let out = line(head);
  const date = formatIsoDay(list.day);
  for (const d of list.devices) {
    const moved = d.movers.map((m) => `${m.field} ${m.value > 0 ? '+' : ''}${m.value}${m.days ? ` in ${m.days} d` : ''}`).join('; ');
    const held = d.hold?.held ? [formatIsoDay(d.hold.until)] : [''];
    out += line([
      String(d.rank),
      safeCell(d.entity),
      date,
      formatProbability(d.p1),
      d.aboveThreshold ? '1' : '0',
      d.inTopK ? '1' : '0',
      String(d.streak),
      safeCell(moved),
      ...(holds ? held : []),
    ]);
  }
  return out;
}

/**
 * Every kept reading, grouped by device and sorted by day: device, date, line, the fields read,
 * every history feature, the label when the file had one, probability and class. Returned as
 * parts (one per ~4,000 readings) so that no single huge string is built.
 */
export function scoredRowsCsv(
  f: ScoredFleet,
  cols: { entity: string; date: string; label: string | null },
  model: { classLabels: readonly [string, string]; id: string; version: string },
): string[] {
  const { c, spec } = f;
  const nIn = c.inputs.length;
  const nF = spec.features.length;
  const hasLabel = cols.label !== null && c.label.length > 0 && c.label[0]! >= 0;
  const parts = [
    line([
      cols.entity,
      cols.date,
      'line',
      ...c.inputs,
      ...spec.features.map((x) => x.name),
      ...(hasLabel ? [cols.label!] : []),
      'probability',
      'class',
      'model',
      'model_version',
    ]),
  ];
  let out = '';
  let rows = 0;
  const entities = c.fleet.entities;
  for (let e = 0; e < entities.length; e++) {
    const s = c.fleet.entityStart[e]!;
    const end = c.fleet.entityStart[e + 1]!;
    const feats = new Float64Array((end - s) * nF);
    entityFeatures(spec, c.inputs, c.day.subarray(s, end), c.values.subarray(s * nIn, end * nIn), feats);
    const name = safeCell(entities[e]!);
    for (let pos = s; pos < end; pos++) {
      const r = pos - s;
      const cells = [name, formatIsoDay(c.day[pos]!), String(c.line[pos]!)];
      for (let j = 0; j < nIn; j++) cells.push(String(c.values[pos * nIn + j]!));
      for (let j = 0; j < nF; j++) cells.push(String(feats[r * nF + j]!));
      if (hasLabel) cells.push(String(c.label[pos]!));
      const p = c.p1[pos]!;
      cells.push(formatProbability(p), model.classLabels[f.flagged(pos, 0) ? 1 : 0], model.id, model.version);
      out += line(cells);
      if (++rows % 4096 === 0) {
        parts.push(out);
        out = '';
      }
    }
  }
  if (out) parts.push(out);
  return parts;
}
