import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest';
import { diffManifests } from './manifest-diff';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../../public/models/manifest.json', import.meta.url), 'utf8')));

describe('what a new deployment changes in the models', () => {
  it('finds nothing between a manifest and itself', () => {
    expect(diffManifests(manifest, structuredClone(manifest))).toEqual([]);
  });

  it('names version, file, threshold, class and default changes, and models added or removed', () => {
    const next = structuredClone(manifest);
    const [a, b, c] = next.models;
    a!.version = '9.0.0';
    a!.threshold = 0.5;
    b!.sha256 = 'f'.repeat(64);
    c!.class_labels = [c!.class_labels[1], c!.class_labels[0]];
    const removed = next.models.pop()!;
    next.models.push({ ...structuredClone(a!), id: 'brand-new', version: '1.0.0' });
    const d = diffManifests(manifest, next);
    const old = manifest.models;
    expect(d).toEqual([
      { id: a!.id, kind: 'changed', text: `version ${old[0]!.version} → 9.0.0; alert threshold ${Number(old[0]!.threshold.toPrecision(4))} → 0.5` },
      { id: b!.id, kind: 'changed', text: `retrained under the same version ${old[1]!.version} (its file changed)` },
      { id: c!.id, kind: 'changed', text: `classes ${old[2]!.class_labels.join('/')} → ${[...old[2]!.class_labels].reverse().join('/')}` },
      { id: 'brand-new', kind: 'added', text: 'new model, version 1.0.0' },
      { id: removed.id, kind: 'removed', text: `removed (was version ${removed.version})` },
    ]);
  });
});
