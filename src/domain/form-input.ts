import { fieldSchema, type FieldSpec, type Values } from './fields';
import { formatNumber, type NumberFormat } from './number-format';
export { describeNumberFormat } from './number-format';
import { fieldInUnit, findUnit, fromModelUnit, toModelUnit } from './units';

/**
 * What a person types into a form: numbers in the chosen format (decimal point or comma),
 * some fields in a unit of their choice. The model always receives its own units.
 */

export interface InputSettings {
  format: NumberFormat;
  /** Field name -> chosen unit id; a field not listed (or an unknown id) is in the model's unit. */
  units: Readonly<Record<string, string>>;
}

/** The fields as shown: label, limits and help in the chosen unit. */
export function shownFields(fields: readonly FieldSpec[], units: InputSettings['units']): FieldSpec[] {
  return fields.map((f) => shownField(f, units[f.name]));
}

// One object per field and unit, so the schemas built from it are cached too.
const shownCache = new WeakMap<FieldSpec, Map<string, FieldSpec>>();
function shownField(f: FieldSpec, unitId: string | undefined): FieldSpec {
  const unit = findUnit(f, unitId);
  let byUnit = shownCache.get(f);
  if (!byUnit) shownCache.set(f, (byUnit = new Map()));
  let s = byUnit.get(unit.id);
  if (!s) byUnit.set(unit.id, (s = fieldInUnit(f, unit)));
  return s;
}

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

/** Model-unit values (an example, a stored result) as the form's text in the chosen unit and format. */
export function toFormText(fields: readonly FieldSpec[], values: Readonly<Values>, settings: InputSettings): Record<string, string> {
  return Object.fromEntries(
    fields.map((f) => {
      const v = values[f.name];
      return [f.name, v === undefined ? '' : formatNumber(fromModelUnit(v, findUnit(f, settings.units[f.name])), settings.format)];
    }),
  );
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

/** Field name -> unit label for every field with a unit choice, as chosen (the report and downloads say them). */
export function enteredUnits(fields: readonly FieldSpec[], units: InputSettings['units']): Record<string, string> {
  return Object.fromEntries(fields.filter((f) => (f.units?.length ?? 0) > 0).map((f) => [f.name, findUnit(f, units[f.name]).label]));
}
