import type { FieldSpec } from './field-spec';
import { fieldSchema } from './fields';
import { shownField, type InputSettings } from './form-text';
import type { NumberFormat } from './number-format';
import type { Values } from './to-vector';
import { findUnit, toModelUnit } from './units';

export type FormResult = { ok: true; values: Values } | { ok: false; errors: { field: string; message: string }[] };

/**
 * Read a form's text values. Every field may be blank (a model says what it needs); a filled
 * one must be a number in the chosen format within the limits of the chosen unit. Values come
 * back in the model's units, blanks left out.
 */
export function parseFormInput(fields: readonly FieldSpec[], raw: Readonly<Record<string, unknown>>, settings: InputSettings): FormResult {
  const values: Values = {};
  const errors: { field: string; message: string }[] = [];
  for (const f of fields) {
    const unit = findUnit(f, settings.units[f.name]);
    const r = schemaFor(shownField(f, unit.id), settings.format).safeParse(raw[f.name]);
    if (!r.success) errors.push({ field: f.name, message: r.error.issues[0]?.message ?? `${f.label} is not valid` });
    else if (r.data !== undefined) values[f.name] = toModelUnit(r.data, unit);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

// Building a zod schema costs more than using it: one per shown field and format.
const cache = new WeakMap<FieldSpec, Map<NumberFormat, ReturnType<typeof fieldSchema>>>();
function schemaFor(shown: FieldSpec, format: NumberFormat) {
  let byFormat = cache.get(shown);
  if (!byFormat) cache.set(shown, (byFormat = new Map()));
  let s = byFormat.get(format);
  if (!s) byFormat.set(format, (s = fieldSchema(shown, { optional: true, format })));
  return s;
}
