import { formatLimit, optionsOf, type FieldSpec } from './field-spec';
import { parseNumber, type NumberFormat } from './number-format';
import type { Values } from './to-vector';
import { z } from './zod';

/** Strings from inputs and CSV cells become numbers; blanks become undefined ("required"). */
export function toNumberOrUndefined(raw: unknown): unknown {
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (t === '') return undefined;
    // Number('0x10') and Number('1e3') parse; only plain decimal notation is accepted.
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
  }
  if (raw === null) return undefined;
  return raw;
}

/** The zod schema of one field; every message names the field and what was expected. */
export function fieldSchema(spec: FieldSpec, opts: { optional?: boolean; format?: NumberFormat } = {}): z.ZodType<number> {
  const what = spec.label;
  const base = z.number({
    error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a number`),
  });
  let s: z.ZodType<number>;
  if (spec.kind === 'yes-no' || spec.kind === 'sex') {
    const allowed = optionsOf(spec)!;
    const words = allowed.map((o) => `${o.value} (${o.label.toLowerCase()})`).join(' or ');
    s = base.refine((v) => v === 0 || v === 1, { error: `${what} must be ${words}` });
  } else {
    let n = base
      .min(spec.min, { error: `${what} must be at least ${formatLimit(spec, spec.min, opts.format)}` })
      .max(spec.max, { error: `${what} must be at most ${formatLimit(spec, spec.max, opts.format)}` });
    if (spec.kind === 'integer') n = n.int({ error: `${what} must be a whole number` });
    s = n;
  }
  // Optional applies after the blank-to-undefined step, so an empty input counts as absent.
  const format = opts.format;
  const pre = format
    ? (raw: unknown, ctx: z.RefinementCtx) => {
        if (typeof raw !== 'string') return toNumberOrUndefined(raw);
        if (raw.trim() === '') return undefined;
        const r = parseNumber(raw, format);
        if (r.ok) return r.value;
        // The reason names the number-format setting when the other format would read it.
        ctx.addIssue({ code: 'custom', message: r.reason === 'is not a number' ? `${what} must be a number` : `${what} ${raw.trim()} ${r.reason}` });
        return z.NEVER;
      }
    : toNumberOrUndefined;
  return z.preprocess(pre, opts.optional ? s.optional() : s) as unknown as z.ZodType<number>;
}

/** An object schema over the given fields; unknown keys are rejected when strict. */
export function objectSchema(specs: readonly FieldSpec[], opts: { strict: boolean; optional?: readonly string[] }) {
  const shape: Record<string, z.ZodType<number | undefined>> = {};
  for (const f of specs) shape[f.name] = fieldSchema(f, { optional: opts.optional?.includes(f.name) ?? false });
  const obj = z.object(shape);
  return opts.strict ? obj.strict() : obj;
}

// Building a zod object schema costs far more than using it: build once per spec list and options.
const schemaCache = new WeakMap<readonly FieldSpec[], Map<string, ReturnType<typeof objectSchema>>>();
function cachedSchema(specs: readonly FieldSpec[], opts: { strict: boolean; optional?: readonly string[] }) {
  let byOpts = schemaCache.get(specs);
  if (!byOpts) schemaCache.set(specs, (byOpts = new Map()));
  const key = `${opts.strict}|${opts.optional?.join(',') ?? ''}`;
  let schema = byOpts.get(key);
  if (!schema) byOpts.set(key, (schema = objectSchema(specs, opts)));
  return schema;
}

/** Validate one record; returns values or a list of {field, message}. */
export function validate(
  specs: readonly FieldSpec[],
  input: unknown,
  opts: { strict: boolean; optional?: readonly string[] } = { strict: false },
): { ok: true; values: Values } | { ok: false; errors: { field: string; message: string }[] } {
  const r = cachedSchema(specs, opts).safeParse(input);
  if (r.success) {
    // Optional fields left blank are absent, not undefined.
    const values = Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) as Values;
    return { ok: true, values };
  }
  return {
    ok: false,
    errors: r.error.issues.map((i) => {
      if (i.code === 'unrecognized_keys') {
        return { field: i.keys.join(', '), message: `Unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}` };
      }
      return { field: String(i.path[0] ?? ''), message: i.message };
    }),
  };
}
