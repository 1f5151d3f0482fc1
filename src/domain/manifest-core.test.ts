import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardOnlyKeys, coreManifestJson, coreManifestText, parseCardManifest, parseManifest } from './manifest';

const fullText = readFileSync(new URL('../../public/models/manifest.json', import.meta.url), 'utf8');

describe('manifest.core.json (derived at build time)', () => {
  const full = JSON.parse(fullText);
  const core = coreManifestJson(full) as typeof full;

  it('is manifest.json without the card-only curves and tables, every other value kept', () => {
    expect(cardOnlyKeys).toEqual(['roc', 'pr', 'calibration', 'threshold_table', 'out_of_fold', 'tripod']);
    for (const [i, m] of core.models.entries()) {
      const { evaluation, ...rest } = full.models[i];
      const { evaluation: coreEval, ...coreRest } = m;
      expect(coreRest).toEqual(rest);
      for (const k of cardOnlyKeys) expect(coreEval).not.toHaveProperty(k);
      expect(coreEval).toEqual(Object.fromEntries(Object.entries(evaluation).filter(([k]) => !(cardOnlyKeys as string[]).includes(k))));
    }
    expect(JSON.stringify(core).length).toBeLessThan(fullText.length / 5);
  });

  it('parses as the manifest the engine needs, equal to the full file read the same way', () => {
    expect(parseManifest(core)).toEqual(parseManifest(full));
  });

  it('is written as the schema reads it, so the worker can take its JSON as is once the bytes match the pin', () => {
    const text = coreManifestText(fullText);
    const json: unknown = JSON.parse(text);
    expect(json).toEqual(parseManifest(json));
    expect(JSON.stringify(parseManifest(json))).toBe(text);
    expect(json).toEqual(parseManifest(core));
  });

  it('refuses to be written from a model list the schema refuses (the build fails, naming the path)', () => {
    const bad = JSON.parse(fullText);
    bad.models[0].class_labels = 'dead';
    expect(() => coreManifestText(JSON.stringify(bad))).toThrow(/manifest.json is not valid: models.0.class_labels/);
  });

  it('is not a model card manifest: the card views need the full file', () => {
    expect(() => parseCardManifest(core)).toThrow(/manifest.json is not valid: models.0.evaluation.roc/);
    expect(parseCardManifest(full).models[0]!.evaluation.roc.length).toBeGreaterThan(10);
  });

  it("leaves the input untouched (training's bytes are never rewritten)", () => {
    coreManifestJson(full);
    expect(JSON.stringify(full)).toBe(JSON.stringify(JSON.parse(fullText)));
  });
});
