// The history features and the fleet model against training's golden files (scikit-learn and
// pandas are the oracle): features of chosen device-days within 1e-6, and, with DATA_DIR set,
// the shipped model's probability of every row of the whole log within 1e-5.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import type { FromWorker } from '@/inference/protocol';
import { caseFeatures, type GoldenLogCase } from '@/test/fleet-case';
import { repoRoot, readManifest, readModelBytes } from '@/test/golden';
import { Engine } from './engine';
import { runFleet, type FleetData } from './fleet-run';

ort.env.wasm.numThreads = 1;

const domain = getDomain('device');
const spec = domain.history!;
const modelId = domain.historyModelIds[0] ?? 'device-fleet';
const featuresPath = new URL(`training/golden/${modelId}-features.json`, repoRoot);
const allPath = new URL(`training/golden/${modelId}-all.txt.gz`, repoRoot);
const dataDir = process.env.DATA_DIR;
const dataFile = dataDir ? `${dataDir}/device_failure.csv` : null;

describe.skipIf(!existsSync(featuresPath))(`${modelId}: history features match training's`, () => {
  const golden = existsSync(featuresPath)
    ? (JSON.parse(readFileSync(featuresPath, 'utf8')) as { features: string[]; cases: GoldenLogCase[] })
    : { features: [], cases: [] };

  it('declares the same features in the same order', () => {
    expect(golden.features).toEqual(spec.features.map((f) => f.name));
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { byLine, duplicates } = await caseFeatures(domain, c);
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
  it("gives scikit-learn's probability for every row within 1e-5, and sets aside the rows it sets aside", async () => {
    const manifest = readManifest();
    const model = manifest.models.find((m) => m.id === modelId)!;
    const engine = new Engine(ort, readModelBytes);
    const text = readFileSync(dataFile!, 'utf8');
    const msgs: FromWorker[] = [];
    const data = (await runFleet(engine, model, domain, new Blob([text]), {
      id: 1,
      post: (m) => msgs.push(m),
      signal: new AbortController().signal,
    })) as FleetData;
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
