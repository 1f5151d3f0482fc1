// The manifest's fleet figures (failures caught in the daily top K on the day and within N
// days, lead time), computed at training by training/prognos_train/fleet.py, recomputed here
// by the app's own ranking and counting code (fleet-rank.ts, fleet-report.ts) from the same
// out-of-fold predictions. Without this, the two languages' rules are checked only on
// different hand examples. The out-of-fold files hold one probability per row but no dates or
// devices: those come from the data file (DATA_DIR), joined by row.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCardManifest, type TopKFigures } from '@/domain/manifest';
import { repoRoot } from '@/test/golden';
import { getDomain } from './domains';
import { assembleFleet, type Fleet } from './fleet';
import { ScoredFleet, type FleetColumns } from './fleet-rank';
import { fleetEvaluation, LEAD_WINDOW } from './fleet-report';
import { parseIsoDay } from './history';

interface Oof {
  model: string;
  threshold: number;
  y: string;
  p: number[];
}

const domain = getDomain('device');
const spec = domain.history!;
const modelId = domain.historyModelIds[0] ?? 'device-fleet';
const declaration = JSON.parse(readFileSync(new URL(`domains/${domain.id}.json`, repoRoot), 'utf8')) as { data: { file: string } };
const dataDir = process.env.DATA_DIR;
const dataFile = dataDir ? join(dataDir, declaration.data.file) : null;
const haveData = dataFile !== null && existsSync(dataFile);
const readOof = (id: string) => JSON.parse(readFileSync(new URL(`training/golden/oof-${id}.json`, repoRoot), 'utf8')) as Oof;

/** The data file's readings in file order: device, day and label of each data row. */
function readLog(path: string) {
  const lines = readFileSync(path, 'utf8').trimEnd().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${path} has no column ${name}`);
    return i;
  };
  const [d, e, y] = [col(spec.dateColumn), col(spec.entityColumn), col(domain.labelColumn)];
  return lines.slice(1).map((text, i) => {
    const cells = text.split(',');
    const day = parseIsoDay(cells[d]!);
    if (day === null) throw new Error(`${path}: line ${i + 2}: bad date ${cells[d]}`);
    return { entity: cells[e]!, day, line: i + 2, label: Number(cells[y]) };
  });
}

/** A scored fleet from P(failure) per data row (file order); rows the log sets aside get none. */
function scoredFleet(fleet: Fleet, log: ReturnType<typeof readLog>, pOfRow: (row: number) => number, threshold: number): ScoredFleet {
  const n = fleet.order.length;
  const c: FleetColumns = {
    fleet,
    day: new Int32Array(n),
    p1: new Float32Array(n),
    label: new Int8Array(n),
    line: new Int32Array(n),
    entity: new Int32Array(n),
    values: new Float64Array(0),
    inputs: [],
  };
  for (let e = 0; e < fleet.entities.length; e++) c.entity.fill(e, fleet.entityStart[e]!, fleet.entityStart[e + 1]!);
  fleet.order.forEach((row, pos) => {
    c.day[pos] = log[row]!.day;
    c.p1[pos] = pOfRow(row);
    c.label[pos] = log[row]!.label;
    c.line[pos] = log[row]!.line;
  });
  return new ScoredFleet(c, spec, threshold);
}

/** The app's figures under the manifest's keys: every caught_within_<N>_days the manifest has. */
function figures(f: ScoredFleet, k: number, expected: TopKFigures) {
  const windows = Object.keys(expected)
    .flatMap((key) => /^caught_within_(\d+)_days$/.exec(key)?.[1] ?? [])
    .map(Number);
  const ev = fleetEvaluation(f, k, windows)!;
  return {
    failures: ev.failures,
    caught_on_day: ev.caughtOnDay,
    ...Object.fromEntries(windows.map((w) => [`caught_within_${w}_days`, ev.caughtWithin[w]])),
    lead_days_median: ev.leadDaysMedian,
    // A lead time exists exactly for the failures caught within LEAD_WINDOW days.
    [`caught_within_${LEAD_WINDOW}_days`]: ev.caughtWithinLead,
  };
}

describe.skipIf(!haveData)(`${modelId}: the manifest's fleet figures recomputed in TypeScript (needs DATA_DIR with ${declaration.data.file})`, () => {
  const entry = parseCardManifest(JSON.parse(readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8'))).models.find(
    (m) => m.id === modelId,
  )!;
  const fleetFigures = entry.fleet!;
  const log = haveData ? readLog(dataFile!) : [];
  const fleet = assembleFleet(log);
  // Training's rows of a history model are the kept readings in file order.
  const kept = Array.from(fleet.order).sort((a, b) => a - b);

  it('counts with the same K, windows and lead window as training', () => {
    expect(fleetFigures.rules?.lead_time).toContain(`f-${LEAD_WINDOW} .. f`);
    expect(Object.keys(fleetFigures.out_of_fold)).toContain(`caught_within_${LEAD_WINDOW}_days`);
  });

  it('out of fold: caught on the day, within 3 / 7 / 30 days, and the lead time', () => {
    const oof = readOof(modelId);
    expect(oof.p).toHaveLength(kept.length);
    // The join: the out-of-fold labels are the data file's, row for row.
    expect(kept.map((row) => log[row]!.label).join('')).toBe(oof.y);
    const pos = new Map(kept.map((row, j) => [row, j]));
    const f = scoredFleet(fleet, log, (row) => oof.p[pos.get(row)!]!, oof.threshold);
    const expected = fleetFigures.out_of_fold;
    expect(expected.failures).toBeGreaterThan(0);
    expect(figures(f, fleetFigures.k, expected)).toEqual(expected);
  });

  it.skipIf(!fleetFigures.single_reading_out_of_fold)('the single-reading default model, ranked on the same readings', () => {
    const { model, ...expected } = fleetFigures.single_reading_out_of_fold!;
    // A single-reading model's rows are every data row, in file order.
    const oof = readOof(model);
    expect(oof.p).toHaveLength(log.length);
    expect(log.map((r) => r.label).join('')).toBe(oof.y);
    const f = scoredFleet(fleet, log, (row) => oof.p[row]!, oof.threshold);
    expect(figures(f, fleetFigures.k, expected)).toEqual(expected);
  });
});
