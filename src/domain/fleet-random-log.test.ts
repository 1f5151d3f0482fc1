// A seeded random log written by training (training/golden/<model>-random-log.json: many
// devices, gaps across every window, duplicates of one device and day, rows in random order)
// read through the app's CSV path, assembled and featurised here. The counters are integers,
// so both languages compute every feature exactly: equality, not a tolerance.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@/test/golden';
import { resolveColumns } from './csv/columns';
import { streamCsv } from './csv/stream';
import { getDomain } from './domains';
import { assembleFleetArrays, fleetFeatures } from './fleet';
import { findLogColumns, logRowCheck } from './fleet-log';
import { historyInputs, parseIsoDay } from './history';

const domain = getDomain('device');
const spec = domain.history!;
const modelId = domain.historyModelIds[0] ?? 'device-fleet';
const path = new URL(`training/golden/${modelId}-random-log.json`, repoRoot);

interface Case {
  name: string;
  columns: string[];
  rows: string[][];
  lines: number[];
  set_aside: { line: number; kept_line: number; device: string; date: string }[];
  expected: { line: number; device: string; date: string; features: number[] }[];
}

const csvLine = (cells: readonly string[]) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** Features of every kept reading, by file line, and the readings set aside. */
async function featuresOf(c: Case) {
  const inputs = historyInputs(spec);
  const header = resolveColumns(c.columns, domain, inputs);
  if (!header.ok) throw new Error(header.message);
  const cols = findLogColumns(header.columns, spec);
  if ('missing' in cols) throw new Error(cols.message);
  const names: string[] = [];
  const ids = new Map<string, number>();
  const entity: number[] = [];
  const day: number[] = [];
  const line: number[] = [];
  const values: number[] = [];
  const text = [c.columns, ...c.rows].map(csvLine).join('\n') + '\n';
  const result = await streamCsv(text, domain, {
    featureOrder: inputs,
    float64: true,
    extraCheck: logRowCheck(cols),
    onBatch: (b) => {
      for (const v of b.values64!) values.push(v);
      for (const l of b.lines) line.push(l);
      for (const cells of b.cells.slice(0, b.rows)) {
        const name = cells[cols.entity]!.trim();
        if (!ids.has(name)) ids.set(name, names.push(name) - 1);
        entity.push(ids.get(name)!);
        day.push(parseIsoDay(cells[cols.date]!)!);
      }
    },
  });
  expect(result.status).toBe('done');
  expect(line).toHaveLength(c.rows.length);
  const fleet = assembleFleetArrays(names, entity, day, line);
  const feats = fleetFeatures(spec, inputs, fleet, day, values);
  const nF = spec.features.length;
  // Stream line k + 2 is the case's k-th row, on file line c.lines[k].
  const lineOf = (streamLine: number) => c.lines[streamLine - 2]!;
  const byLine = new Map<number, number[]>();
  fleet.order.forEach((i, pos) => byLine.set(lineOf(line[i]!), Array.from(feats.subarray(pos * nF, (pos + 1) * nF))));
  const setAside = fleet.duplicates.map((d) => ({ line: lineOf(d.line), kept_line: lineOf(d.keptLine), device: d.entity }));
  return { byLine, setAside };
}

describe.skipIf(!existsSync(path))(`${modelId}: a random log's history features equal training's exactly`, () => {
  const golden = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { features: string[]; cases: Case[] }) : { features: [], cases: [] };

  it('declares the same features in the same order', () => {
    expect(golden.features).toEqual(spec.features.map((f) => f.name));
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { byLine, setAside } = await featuresOf(c);
    const byLineOrder = <T extends { line: number }>(xs: T[]) => [...xs].sort((a, b) => a.line - b.line);
    expect(byLineOrder(setAside)).toEqual(byLineOrder(c.set_aside.map(({ line, kept_line, device }) => ({ line, kept_line, device }))));
    // Every kept reading has an expected row, and no other reading was kept.
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual(c.expected.map((e) => e.line).sort((a, b) => a - b));
    for (const e of c.expected) {
      const got = byLine.get(e.line)!;
      const wrong = got.findIndex((v, j) => v !== e.features[j]);
      if (wrong >= 0) expect.fail(`line ${e.line} (${e.device} ${e.date}) ${golden.features[wrong]}: ${got[wrong]} vs ${e.features[wrong]}`);
    }
  });
});
