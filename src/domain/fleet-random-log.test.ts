// A seeded random log written by training (training/golden/<model>-random-log.json: many
// devices, gaps across every window, duplicates of one device and day, rows in random order)
// read through the app's CSV path, assembled and featurised here. The counters are integers,
// so both languages compute every feature exactly: equality, not a tolerance.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseFeatures, type GoldenLogCase } from '@/test/fleet-case';
import { repoRoot } from '@/test/golden';
import { getDomain } from './domains';

const domain = getDomain('device');
const spec = domain.history!;
const modelId = domain.historyModelIds[0] ?? 'device-fleet';
const path = new URL(`training/golden/${modelId}-random-log.json`, repoRoot);

describe.skipIf(!existsSync(path))(`${modelId}: a random log's history features equal training's exactly`, () => {
  const golden = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { features: string[]; cases: GoldenLogCase[] })
    : { features: [], cases: [] };

  it('declares the same features in the same order', () => {
    expect(golden.features).toEqual(spec.features.map((f) => f.name));
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { byLine, duplicates: setAside } = await caseFeatures(domain, c);
    const byLineOrder = <T extends { line: number }>(xs: T[]) => [...xs].sort((a, b) => a.line - b.line);
    expect(byLineOrder(setAside)).toEqual(byLineOrder(c.set_aside.map(({ line, kept_line, device }) => ({ line, kept_line, device }))));
    // Every kept reading has an expected row, and no other reading was kept.
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual(c.expected.map((e) => e.line).sort((a, b) => a - b));
    for (const e of c.expected) {
      const got = byLine.get(e.line)!;
      const wrong = Array.from(got).findIndex((v, j) => v !== e.features[j]);
      if (wrong >= 0) expect.fail(`line ${e.line} (${e.device} ${e.date}) ${golden.features[wrong]}: ${got[wrong]} vs ${e.features[wrong]}`);
    }
  });
});
