import type { FieldSpec } from './field-spec';

/**
 * Alternative units of a field, declared next to it (`units` in domains/<id>.json). The
 * model always receives the field's own unit (`FieldSpec.unit`); an alternative is a
 * factor away: value in the alternative = value in the model's unit x factor.
 */
export interface UnitSpec {
  id: string;
  /** As shown: "µmol/L". */
  label: string;
  factor: number;
  /** Header suffix that names this unit in a CSV file: serum_creatinine_umol_l. */
  columnSuffix?: string;
}

/** The field's own unit first, then its declared alternatives. */
export function unitsOf(field: FieldSpec): readonly UnitSpec[] {
  return [{ id: field.unit, label: field.unit, factor: 1 }, ...(field.units ?? [])];
}

export function findUnit(field: FieldSpec, id: string | undefined): UnitSpec {
  return unitsOf(field).find((u) => u.id === id) ?? unitsOf(field)[0]!;
}

// Conversions are rounded to 12 significant digits, so 88.42 µmol/L reads back as exactly 1 mg/dL.
const tidy = (v: number) => Number(v.toPrecision(12));

export function toModelUnit(value: number, unit: UnitSpec): number {
  return unit.factor === 1 ? value : tidy(value / unit.factor);
}

export function fromModelUnit(value: number, unit: UnitSpec): number {
  return unit.factor === 1 ? value : tidy(value * unit.factor);
}

/** The field as the form shows it in `unit`: label, limits and help follow the unit. */
export function fieldInUnit(field: FieldSpec, unit: UnitSpec): FieldSpec {
  if (unit.factor === 1 && unit.id === field.unit) return field;
  return {
    ...field,
    unit: unit.label,
    min: fromModelUnit(field.min, unit),
    max: fromModelUnit(field.max, unit),
    // A whole number in one unit is rarely whole in another (mEq/L and mmol/L are the same scale).
    kind: field.kind === 'integer' && unit.factor !== 1 ? 'number' : field.kind,
  };
}
