// The history features and the fleet model against training's golden files (scikit-learn and
// pandas are the oracle): features of chosen device-days within 1e-6, and, with DATA_DIR set,
// the shipped model's probability of every row of the whole log within 1e-5.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { resolveColumns } from '@/domain/csv/columns';
import { streamCsv } from '@/domain/csv/stream';
import { getDomain } from '@/domain/domains';
import { fleetFeatures } from '@/domain/fleet';
import { findLogColumns, FleetLog, logRowCheck } from '@/domain/fleet-log';
import { historyInputs } from '@/domain/history';
import { repoRoot, readManifest, readModelBytes } from '@/test/golden';
import { Engine } from './engine';
import { runFleet, type FleetData } from './fleet-run';
import type { FromWorker } from '@/inference/protocol';

ort.env.wasm.numThreads = 1;

const domain = getDomain('device');
const spec = domain.history!;
const modelId = domain.historyModelIds[0] ?? 'device-fleet';
const featuresPath = new URL(`training/golden/${modelId}-features.json`, repoRoot);
const allPath = new URL(`training/golden/${modelId}-all.txt.gz`, repoRoot);
const dataDir = process.env.DATA_DIR;
const dataFile = dataDir ? `${dataDir}/device_failure.csv` : null;

interface GoldenCase {
  name: string;
  columns: string[];
  rows: string[][];
  lines: number[];
  set_aside: { line: number; kept_line: number; device: string; date: string }[];
  expected: { line: number; device: string; date: string; features: number[] }[];
}

const csvLine = (cells: readonly string[]) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** A golden case through the app's own import path: stream, log checks, assembly, features. */
async function featuresOf(c: GoldenCase) {
  const inputs = historyInputs(spec);
  const text = [c.columns, ...c.rows].map(csvLine).join('\n') + '\n';
  const header = resolveColumns(c.columns, domain, inputs);
  if (!header.ok) throw new Error(header.message);
  const cols = findLogColumns(header.columns, spec);
  if ('missing' in cols) throw new Error(cols.message);
  const log = new FleetLog(inputs.length, cols);
  const result = await streamCsv(text, domain, { featureOrder: inputs, float64: true, extraCheck: logRowCheck(cols), onBatch: (b) => log.add(b) });
  expect(result.status).toBe('done');
  expect(log.rows).toBe(c.rows.length);
  const fleet = log.assemble();
  const feats = fleetFeatures(spec, inputs, fleet, log.day.view(), log.values.view());
  // Stream line k + 2 is the case's k-th row, on file line c.lines[k].
  const lineOf = (streamLine: number) => c.lines[streamLine - 2]!;
  const byLine = new Map<number, Float64Array>();
  const lines = log.line.view();
  fleet.order.forEach((i, pos) => byLine.set(lineOf(lines[i]!), feats.subarray(pos * spec.features.length, (pos + 1) * spec.features.length)));
  return { byLine, duplicates: fleet.duplicates.map((d) => ({ line: lineOf(d.line), kept_line: lineOf(d.keptLine), device: d.entity })) };
}

describe.skipIf(!existsSync(featuresPath))(`${modelId}: history features match training's`, () => {
  const golden = existsSync(featuresPath)
    ? (JSON.parse(readFileSync(featuresPath, 'utf8')) as { features: string[]; cases: GoldenCase[] })
    : { features: [], cases: [] };

  it('declares the same features in the same order', () => {
    expect(golden.features).toEqual(spec.features.map((f) => f.name));
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { byLine, duplicates } = await featuresOf(c);
    const byLineOrder = <T extends { line: number }>(xs: T[]) => [...xs].sort((a, b) => a.line - b.line);
    expect(byLineOrder(duplicates)).toEqual(byLineOrder(c.set_aside.map(({ line, kept_line, device }) => ({ line, kept_line, device }))));
    let worst = 0;
    for (const e of c.expected) {
      const got = byLine.get(e.line);
      expect(got, `line ${e.line} (${e.device} ${e.date}) was not kept`).toBeDefined();
      e.features.forEach((v, j) => {
        const diff = Math.abs(got![j]! - v);
        worst = Math.max(worst, diff);
        if (diff > 1e-6) expect.fail(`line ${e.line} (${e.device} ${e.date}) ${golden.features[j]}: ${got![j]} vs ${v}`);
      });
    }
    expect(c.expected.length).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});

describe.skipIf(!dataFile || !existsSync(dataFile) || !existsSync(allPath))(`${modelId} on the whole log (DATA_DIR)`, () => {
  it('gives scikit-learn\'s probability for every row within 1e-5, and sets aside the rows it sets aside', async () => {
    const manifest = readManifest();
    const model = manifest.models.find((m) => m.id === modelId)!;
    const engine = new Engine(ort, readModelBytes);
    const text = readFileSync(dataFile!, 'utf8');
    const msgs: FromWorker[] = [];
    const data = (await runFleet(engine, model, domain, new Blob([text]), { id: 1, post: (m) => msgs.push(m), signal: new AbortController().signal })) as FleetData;
    const lines = gunzipSync(readFileSync(allPath)).toString('utf8').trimEnd().split('\n').slice(1);
    const c = data.fleet.c;
    const got = new Map<number, number>();
    for (let pos = 0; pos < c.line.length; pos++) got.set(c.line[pos]!, c.p1[pos]!);
    let worst = 0;
    let compared = 0;
    lines.forEach((v, k) => {
      const fileLine = k + 2;
      if (v === '-') {
        expect(got.has(fileLine), `line ${fileLine} is set aside by training`).toBe(false);
        return;
      }
      const p = got.get(fileLine);
      expect(p, `line ${fileLine} was not scored`).toBeDefined();
      worst = Math.max(worst, Math.abs(p! - Number(v)));
      compared++;
    });
    expect(compared).toBe(c.line.length);
    expect(worst).toBeLessThanOrEqual(1e-5);
  }, 300_000);
});
