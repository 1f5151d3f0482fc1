import { deviceFields } from './device';
import { errorMessage } from './errors';
import { validate, type FieldSpec, type Values } from './fields';
import { heartFields } from './heart';
import type { DomainId } from './manifest';

/**
 * The request and response shapes of the two replaced services, so that a saved request
 * body can be pasted in and answered in the browser. Validation is strict: nothing is
 * predicted from a partly valid body.
 */
export const seedModelId: Record<DomainId, string> = { heart: 'heart-rf-seed', device: 'device-dt-seed' };

export const seedSampleRequest: Record<DomainId, string> = {
  heart: JSON.stringify(
    {
      features: {
        age: 20, anaemia: 0, creatinine_phosphokinase: 800, diabetes: 0, ejection_fraction: 20, high_blood_pressure: 0,
        platelets: 150000, serum_creatinine: 1.5, serum_sodium: 110, sex: 1, smoking: 0, time: 3,
      },
    },
    null,
    2,
  ),
  device: JSON.stringify(
    { metric1: 215630672, metric2: 56, metric3: 0, metric4: 52, metric5: 6, metric6: 407438, metric7: 0, metric9: 7 },
    null,
    2,
  ),
};

export type SeedParse = { ok: true; values: Values } | { ok: false; errors: string[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkStrictNumbers(specs: readonly FieldSpec[], body: Record<string, unknown>, where: string): SeedParse {
  const errors: string[] = [];
  // JSON carries numbers; a quoted number is a client bug worth naming.
  for (const f of specs) {
    const v = body[f.name];
    if (v !== undefined && typeof v !== 'number') errors.push(`${where}${f.name}: expected a number, got ${JSON.stringify(v)}`);
  }
  if (errors.length) return { ok: false, errors };
  const r = validate(specs, body, { strict: true });
  if (r.ok) return r;
  return {
    ok: false,
    errors: r.errors.map((e) => {
      if (!e.message.startsWith('Unknown')) return `${where}${e.field}: ${e.message}`;
      const keys = e.field.split(', ').map((k) => where + k);
      return `Unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`;
    }),
  };
}

export function parseSeedRequest(domain: DomainId, text: string): SeedParse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`The request body is not valid JSON: ${errorMessage(e)}`] };
  }
  if (!isPlainObject(body)) return { ok: false, errors: ['The request body must be a JSON object'] };
  if (domain === 'device') return checkStrictNumbers(deviceFields, body, '');
  const extra = Object.keys(body).filter((k) => k !== 'features');
  if (!isPlainObject(body.features)) {
    return { ok: false, errors: ['The request body must have a "features" object holding the 12 patient fields'] };
  }
  const r = checkStrictNumbers(heartFields, body.features, 'features.');
  if (extra.length) {
    const msg = `Unknown field${extra.length > 1 ? 's' : ''} at the top level: ${extra.join(', ')}`;
    return { ok: false, errors: [msg, ...(r.ok ? [] : r.errors)] };
  }
  return r;
}

/** The replaced services' response for P(class 1) = p1 and the model's label. */
export function seedResponse(
  domain: DomainId,
  classLabels: readonly [string, string],
  label: number,
  p1: number,
  now: Date = new Date(),
): Record<string, string | number> {
  const className = classLabels[label === 1 ? 1 : 0];
  const pClass = label === 1 ? p1 : 1 - p1;
  if (domain === 'heart') return { prediction_class: className, probability: Math.round(pClass * 100) / 100 };
  return { timestamp: now.toISOString(), class: className, probability: `${(pClass * 100).toFixed(1)}%` };
}
