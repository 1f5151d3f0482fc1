import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { FieldInput } from '@/components/ui/field-input';
import { buildRegistry } from '@/domain/build-registry';
import { resolveColumns } from '@/domain/csv/columns';
import { streamCsv, type CsvBatch } from '@/domain/csv/stream';
import { objectSchema, validate } from '@/domain/fields';
import { href, navigation, parseRoute } from './router';

/**
 * Adding a domain is a declaration file and a data file: a synthetic third domain, declared
 * only in a test fixture (training/fixtures/domains/sensor.json, the one the Python pipeline test trains), is routed, gets a form and is read by the batch importer, with no
 * code naming it. (The training side of the same proof is in training/test_pipeline.py.)
 */
const read = (rel: string) => JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as unknown;
const registry = buildRegistry({
  'domains/heart.json': read('../../domains/heart.json'),
  'domains/device.json': read('../../domains/device.json'),
  'training/fixtures/domains/sensor.json': read('../../training/fixtures/domains/sensor.json'),
});
const sensor = registry.byId.get('sensor')!;
const isDomain = (id: string) => registry.byId.has(id);

describe('a third domain declared only in a fixture', () => {
  it('joins the registry in its declared order', () => {
    expect(registry.list.map((d) => d.id)).toEqual(['heart', 'device', 'sensor']);
    expect(sensor.classLabels).toEqual(['OK', 'Fault']);
    expect(sensor.labelColumn).toBe('fault');
    expect(sensor.presets.map((p) => p.id)).toEqual(['cool-quiet', 'hot-shaking']);
    expect(sensor.seed).toBeNull();
  });

  it('has routes and navigation entries', () => {
    expect(parseRoute('#/sensor', isDomain)).toEqual({ view: 'predict', domain: 'sensor' });
    expect(parseRoute('#/sensor/batch', isDomain)).toEqual({ view: 'batch', domain: 'sensor' });
    expect(href(parseRoute('#/sensor/batch', isDomain))).toBe('#/sensor/batch');
    const nav = navigation(registry.list).map((n) => [n.label, href(n.route)]);
    expect(nav).toEqual([
      ['Patient', '#/heart'],
      ['Device', '#/device'],
      ['Sensor', '#/sensor'],
      ['Patient batch', '#/heart/batch'],
      ['Device batch', '#/device/batch'],
      ['Sensor batch', '#/sensor/batch'],
      // Only the device declares a history and a model that reads it: sensor has no fleet.
      ['Device fleet', '#/device/fleet'],
      ['Models', '#/models'],
      ['History', '#/history'],
      ['Integration', '#/integration'],
    ]);
  });

  it('gets a form: labelled inputs with units, and a schema that names field and limit', () => {
    function Form() {
      const { register } = useForm();
      return createElement(
        'form',
        null,
        sensor.fields.map((f) => createElement(FieldInput, { key: f.name, spec: f, register, idPrefix: sensor.id })),
      );
    }
    const html = renderToStaticMarkup(createElement(Form));
    expect(html).toContain('id="sensor-temperature"');
    expect(html).toContain('<label for="sensor-temperature">Temperature<span class="unit"> (°C)</span></label>');
    expect(html).toContain('Accepted: -50–150 °C.');
    expect(html).toContain('id="sensor-vibration"');
    const schema = objectSchema(sensor.fields, { strict: true });
    expect(schema.safeParse({ temperature: '21.5', vibration: '3' }).success).toBe(true);
    expect(validate(sensor.fields, { temperature: 20, vibration: 101 })).toEqual({
      ok: false,
      errors: [{ field: 'vibration', message: 'Vibration must be at most 100 mm/s' }],
    });
  });

  it('is read by the batch importer: columns by name or alias, bad rows listed, labels kept', async () => {
    const r = resolveColumns(['id', 'VIBRATION', 'temp_c', 'fault'], sensor);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.columns.features.map((c) => [c.field.name, c.name])).toEqual([
      ['temperature', 'temp_c'],
      ['vibration', 'VIBRATION'],
    ]);
    expect(r.columns.label?.name).toBe('fault');
    const csv = 'id,temperature,vibration,fault\na,20,1.5,0\nb,999,2,1\nc,80,45,1\n';
    const batches: CsvBatch[] = [];
    const result = await streamCsv(csv, sensor, { onBatch: (b) => void batches.push(b) });
    expect(result.status).toBe('done');
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    const rejected = batches.flatMap((b) => b.rejected);
    expect(rows).toBe(2);
    expect(rejected.map((x) => x.line)).toEqual([3]);
    expect(JSON.stringify(rejected[0])).toContain('Temperature must be at most 150 °C');
    expect(Array.from(batches[0]!.labels.slice(0, 2))).toEqual([0, 1]);
  });

  it('refuses a declaration whose model reads an undeclared field, naming the file', () => {
    const bad = {
      ...(read('../../training/fixtures/domains/sensor.json') as object),
      models: [{ id: 'x', default: true, features: ['humidity'], recipe: { name: 'lr' }, title: '', intended_use: '', limitations: [] }],
    };
    expect(() => buildRegistry({ 'bad.json': bad })).toThrow(/bad\.json: model x reads "humidity", which is not a field/);
  });
});
