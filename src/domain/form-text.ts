import type { FieldSpec } from './field-spec';
import { formatNumber } from './number-format';
import type { NumberFormat } from './number-format';
import type { Values } from './to-vector';
import { fieldInUnit, findUnit, fromModelUnit } from './units';
export { describeNumberFormat } from './number-format';

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
export function shownField(f: FieldSpec, unitId: string | undefined): FieldSpec {
  const unit = findUnit(f, unitId);
  let byUnit = shownCache.get(f);
  if (!byUnit) shownCache.set(f, (byUnit = new Map()));
  let s = byUnit.get(unit.id);
  if (!s) byUnit.set(unit.id, (s = fieldInUnit(f, unit)));
  return s;
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

/** Field name -> unit label for every field with a unit choice, as chosen (the report and downloads say them). */
export function enteredUnits(fields: readonly FieldSpec[], units: InputSettings['units']): Record<string, string> {
  return Object.fromEntries(fields.filter((f) => (f.units?.length ?? 0) > 0).map((f) => [f.name, findUnit(f, units[f.name]).label]));
}
