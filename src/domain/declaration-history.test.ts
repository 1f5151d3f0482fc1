import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeclaration, toDomainSpec } from './declaration';
import { manifestSchema } from './manifest';
import { modelsOf } from './model-list';

const device = JSON.parse(readFileSync(new URL('../../domains/device.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  models: { id: string; input?: string; features: string[] }[];
  history: { features: { name: string; op: string; of?: string; days?: number }[] };
};
const clone = () => structuredClone(device);

describe('history in the declaration', () => {
  it('gives the app the history spec and keeps history models out of the form and batch lists', () => {
    const spec = toDomainSpec(parseDeclaration(device, 'device.json'));
    expect(spec.history?.dateColumn).toBe('date');
    expect(spec.history?.entityColumn).toBe('device');
    expect(spec.historyModelIds).toEqual(device.models.filter((m) => m.input === 'history').map((m) => m.id));
    expect(spec.modelIds.some((id) => spec.historyModelIds.includes(id))).toBe(false);
  });

  it('a history model must read history features, and a field model fields', () => {
    const d = clone();
    const m = d.models.find((x) => x.input === 'history')!;
    m.features = [...m.features, 'metric8_delta7'];
    expect(() => parseDeclaration(d, 'x.json')).toThrow(`x.json: model ${m.id} reads "metric8_delta7", which is not a history feature`);
    const e = clone();
    e.models.find((x) => x.input !== 'history')!.features.push('metric2_delta7');
    expect(() => parseDeclaration(e, 'x.json')).toThrow(/reads "metric2_delta7", which is not a field/);
  });

  it('checks each history feature: a field to read, days for windows only, unique names', () => {
    const a = clone();
    a.history.features.push({ name: 'bad', op: 'diff', of: 'nope' });
    expect(() => parseDeclaration(a, 'x.json')).toThrow(/history feature bad \(diff\) must read a field/);
    const b = clone();
    b.history.features.push({ name: 'bad2', op: 'window_max', of: 'metric2' });
    expect(() => parseDeclaration(b, 'x.json')).toThrow(/window_max needs "days"/);
    const c = clone();
    c.history.features.push({ ...c.history.features[0]! });
    expect(() => parseDeclaration(c, 'x.json')).toThrow(/two features share a name/);
    const d = clone();
    delete (d as Record<string, unknown>).history;
    expect(() => parseDeclaration(d, 'x.json')).toThrow(/declares no "history"/);
    const e = clone() as Record<string, unknown> & { models: { input?: string }[] };
    delete e.history;
    e.models = e.models.filter((m) => m.input !== 'history');
    expect(() => parseDeclaration(e, 'x.json')).toThrow(/inspections need the domain's "history"/);
  });
});

describe('manifest input', () => {
  it('older entries (no input) read fields; history models are listed apart', () => {
    const m = JSON.parse(readFileSync(new URL('../../public/models/manifest.json', import.meta.url), 'utf8')) as {
      models: Record<string, unknown>[];
    };
    const parsed = manifestSchema.parse(m);
    const fields = modelsOf(parsed, 'device');
    expect(fields.every((x) => (x.input ?? 'fields') === 'fields')).toBe(true);
    expect(modelsOf(parsed, 'device', 'history').every((x) => x.input === 'history')).toBe(true);
  });
});
