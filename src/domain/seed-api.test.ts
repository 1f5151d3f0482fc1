import { describe, expect, it } from 'vitest';
import { getDomain } from './domains';
import { parseSeedRequest, seedResponse, seedSampleRequest as sampleOf } from './seed-api';

const heart = getDomain('heart');
const device = getDomain('device');
const seedSampleRequest = { heart: sampleOf(heart.seed!), device: sampleOf(device.seed!) };

describe('seed-compatible request parsing', () => {
  it('accepts both sample requests', () => {
    const h = parseSeedRequest(heart, seedSampleRequest.heart);
    expect(h.ok && h.values.serum_sodium).toBe(110);
    const d = parseSeedRequest(device, seedSampleRequest.device);
    expect(d.ok && d.values.metric1).toBe(215630672);
  });

  it('names malformed JSON', () => {
    const r = parseSeedRequest(heart, '{"features": {');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^The request body is not valid JSON/);
  });

  it('names a missing field, an extra field and an out-of-limit value, and predicts nothing', () => {
    const body = JSON.parse(seedSampleRequest.heart);
    delete body.features.time;
    body.features.weight = 80;
    body.features.ejection_fraction = 120;
    const r = parseSeedRequest(heart, JSON.stringify(body));
    expect(r).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        'features.time: Follow-up period is required',
        'Unknown field: features.weight',
        'features.ejection_fraction: Ejection fraction must be at most 100 %',
      ]),
    });
  });

  it('requires the features wrapper for heart and names extra top-level keys', () => {
    const flat = JSON.parse(seedSampleRequest.heart).features;
    expect(parseSeedRequest(heart, JSON.stringify(flat)).ok).toBe(false);
    const r = parseSeedRequest(heart, JSON.stringify({ ...JSON.parse(seedSampleRequest.heart), model: 'rf' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toBe('Unknown field at the top level: model');
  });

  it('rejects quoted numbers and metric8 in device requests', () => {
    const body = JSON.parse(seedSampleRequest.device);
    const r1 = parseSeedRequest(device, JSON.stringify({ ...body, metric2: '56' }));
    expect(r1).toEqual({ ok: false, errors: ['metric2: expected a number, got "56"'] });
    const r2 = parseSeedRequest(device, JSON.stringify({ ...body, metric8: 0 }));
    expect(r2).toEqual({ ok: false, errors: ['Unknown field: metric8'] });
  });
});

describe('seed-compatible responses', () => {
  it('reports the predicted class and its probability in the old shapes', () => {
    expect(seedResponse(heart.seed!, ['survival', 'dead'], 1, 0.9134)).toEqual({ prediction_class: 'dead', probability: 0.91 });
    expect(seedResponse(heart.seed!, ['survival', 'dead'], 0, 0.2)).toEqual({ prediction_class: 'survival', probability: 0.8 });
    const now = new Date('2026-01-02T03:04:05Z');
    expect(seedResponse(device.seed!, ['Non-Failure', 'Failure'], 0, 0, now)).toEqual({
      timestamp: '2026-01-02T03:04:05.000Z',
      class: 'Non-Failure',
      probability: '100.0%',
    });
  });
});

describe('seed JSON: duplicate keys and long values', () => {
  it('refuses a key given twice, naming it (JSON.parse would keep the last)', () => {
    const body = seedSampleRequest.heart.replace('"ejection_fraction"', '"ejection_fraction": 999, "ejection_fraction"');
    expect(JSON.parse(body).features.ejection_fraction).not.toBe(999);
    const r = parseSeedRequest(heart, body);
    expect(r).toEqual({ ok: false, errors: ['The request body names "features.ejection_fraction" twice; give each field once'] });
  });

  it('echoes a 10 MB value as a short preview', () => {
    const body = JSON.parse(seedSampleRequest.heart);
    body.features.age = 'x'.repeat(10 * 1024 * 1024);
    body.features['y'.repeat(1_000_000)] = 1;
    const text = JSON.stringify(body);
    const r = parseSeedRequest(heart, text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.join('\n').length).toBeLessThan(400);
      expect(r.errors[0]).toMatch(/^features\.age: expected a number, got "x{40}…" \(10,485,760 characters\)$/);
    }
  });
});
