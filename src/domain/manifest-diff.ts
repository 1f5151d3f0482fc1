import type { Manifest, ModelEntry } from './manifest';

/** What a new deployment changes in the models, in words, for the "new version" notice. */
export interface ModelChange {
  id: string;
  kind: 'added' | 'removed' | 'changed';
  text: string;
}

const fmt = (n: number) => String(Number(n.toPrecision(4)));

function changesOf(a: ModelEntry, b: ModelEntry): string[] {
  const out: string[] = [];
  if (a.version !== b.version) out.push(`version ${a.version} → ${b.version}`);
  else if (a.sha256 !== b.sha256) out.push(`retrained under the same version ${a.version} (its file changed)`);
  if (a.threshold !== b.threshold) out.push(`alert threshold ${fmt(a.threshold)} → ${fmt(b.threshold)}`);
  if (a.class_labels.join() !== b.class_labels.join()) out.push(`classes ${a.class_labels.join('/')} → ${b.class_labels.join('/')}`);
  const fa = a.features.map((f) => f.name).join();
  if (fa !== b.features.map((f) => f.name).join()) out.push('reads different inputs');
  if (a.default !== b.default) out.push(b.default ? 'now the default' : 'no longer the default');
  return out;
}

/** Models added, removed or changed from `old` to `next`, in manifest order. */
export function diffManifests(old: Manifest, next: Manifest): ModelChange[] {
  const before = new Map(old.models.map((m) => [m.id, m]));
  const after = new Map(next.models.map((m) => [m.id, m]));
  const out: ModelChange[] = [];
  for (const m of next.models) {
    const a = before.get(m.id);
    if (!a) out.push({ id: m.id, kind: 'added', text: `new model, version ${m.version}` });
    else {
      const c = changesOf(a, m);
      if (c.length) out.push({ id: m.id, kind: 'changed', text: c.join('; ') });
    }
  }
  for (const m of old.models) if (!after.has(m.id)) out.push({ id: m.id, kind: 'removed', text: `removed (was version ${m.version})` });
  return out;
}
