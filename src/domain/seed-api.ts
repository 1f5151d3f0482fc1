import type { DomainSpec, SeedService } from './domain-spec';
import { errorMessage } from './errors';
import { type FieldSpec } from './field-spec';
import { validate } from './fields';
import { findDuplicateKey, previewText, previewValue } from './json-keys';
import { type Values } from './to-vector';

/**
 * The request and response shapes of a replaced service, as its domain declares them, so
 * that a saved request body can be pasted in and answered in the browser. Validation is
 * strict: nothing is predicted from a partly valid body.
 */

/** The declared sample request body, as the replaced service received it. */
export function seedSampleRequest(seed: SeedService): string {
  const body = seed.requestWrapper ? { [seed.requestWrapper]: seed.sampleRequest } : seed.sampleRequest;
  return JSON.stringify(body, null, 2);
}

export type SeedParse = { ok: true; values: Values } | { ok: false; errors: string[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkStrictNumbers(specs: readonly FieldSpec[], body: Record<string, unknown>, where: string): SeedParse {
  const errors: string[] = [];
  // JSON carries numbers; a quoted number is a client bug worth naming.
  for (const f of specs) {
    const v = body[f.name];
    if (v !== undefined && typeof v !== 'number') errors.push(`${where}${f.name}: expected a number, got ${previewValue(v)}`);
  }
  if (errors.length) return { ok: false, errors };
  const r = validate(specs, body, { strict: true });
  if (r.ok) return r;
  return {
    ok: false,
    errors: r.errors.map((e) => {
      if (!e.message.startsWith('Unknown')) return `${where}${e.field}: ${previewText(e.message, 200)}`;
      const keys = e.field.split(', ').map((k) => where + previewText(k));
      return `Unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`;
    }),
  };
}

export function parseSeedRequest(domain: DomainSpec, text: string): SeedParse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`The request body is not valid JSON: ${previewText(errorMessage(e), 200)}`] };
  }
  if (!isPlainObject(body)) return { ok: false, errors: ['The request body must be a JSON object'] };
  // JSON.parse keeps the last of two equal keys: which one the caller meant is unknown.
  const dup = findDuplicateKey(text);
  if (dup) {
    const name = [...dup.path, dup.key].map((k) => previewText(k)).join('.');
    return { ok: false, errors: [`The request body names "${name}" twice; give each field once`] };
  }
  const wrapper = domain.seed?.requestWrapper ?? null;
  if (wrapper === null) return checkStrictNumbers(domain.fields, body, '');
  const extra = Object.keys(body).filter((k) => k !== wrapper);
  const inner = body[wrapper];
  if (!isPlainObject(inner)) {
    return {
      ok: false,
      errors: [`The request body must have a "${wrapper}" object holding the ${domain.fields.length} ${domain.subject} fields`],
    };
  }
  const r = checkStrictNumbers(domain.fields, inner, `${wrapper}.`);
  if (extra.length) {
    const msg = `Unknown field${extra.length > 1 ? 's' : ''} at the top level: ${extra.map((k) => previewText(k)).join(', ')}`;
    return { ok: false, errors: [msg, ...(r.ok ? [] : r.errors)] };
  }
  return r;
}

/** The replaced service's response for P(class 1) = p1 and the model's label, in its declared shape. */
export function seedResponse(
  seed: SeedService,
  classLabels: readonly [string, string],
  label: number,
  p1: number,
  now: Date = new Date(),
): Record<string, string | number> {
  const className = classLabels[label === 1 ? 1 : 0];
  const pClass = label === 1 ? p1 : 1 - p1;
  const out: Record<string, string | number> = {};
  for (const { key, value } of seed.response) {
    switch (value) {
      case 'class':
        out[key] = className;
        break;
      case 'probability-rounded-2':
        out[key] = Math.round(pClass * 100) / 100;
        break;
      case 'probability-percent-1':
        out[key] = `${(pClass * 100).toFixed(1)}%`;
        break;
      case 'timestamp':
        out[key] = now.toISOString();
        break;
    }
  }
  return out;
}
