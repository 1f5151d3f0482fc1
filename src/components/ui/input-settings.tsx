import { useId } from 'react';
import type { FieldSpec } from '@/domain/field-spec';
import { numberFormats, type NumberFormat } from '@/domain/number-format';
import { unitsOf } from '@/domain/units';

/** The controls for the number format and units (the settings themselves: use-input-settings.ts). */

/** Decimal point or comma, as radio buttons. `auto` adds "from the file's delimiter". */
export function NumberFormatChoice({
  value,
  onChange,
  legend = 'Number format',
  auto,
}: {
  value: NumberFormat | 'auto';
  onChange: (f: NumberFormat | 'auto') => void;
  legend?: string;
  auto?: string;
}) {
  const name = useId();
  const options: { id: NumberFormat | 'auto'; text: string }[] = [
    ...(auto ? [{ id: 'auto' as const, text: auto }] : []),
    ...numberFormats.map((f) => ({ id: f.id, text: `${f.label} (${f.example})` })),
  ];
  return (
    <fieldset className="setting-choice">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.id}>
          <input type="radio" name={name} value={o.id} checked={value === o.id} onChange={() => onChange(o.id)} /> {o.text}
        </label>
      ))}
    </fieldset>
  );
}

/** A unit picker for each field that has more than one unit. */
export function UnitChoices({
  fields,
  units,
  onChange,
  idPrefix,
}: {
  fields: readonly FieldSpec[];
  units: Readonly<Record<string, string>>;
  onChange: (field: string, unitId: string) => void;
  idPrefix: string;
}) {
  const withUnits = fields.filter((f) => (f.units?.length ?? 0) > 0);
  if (withUnits.length === 0) return null;
  return (
    <div className="unit-choices">
      {withUnits.map((f) => {
        const id = `${idPrefix}-${f.name}-unit`;
        const current = unitsOf(f).find((u) => u.id === units[f.name])?.id ?? f.unit;
        return (
          <p key={f.name} className="unit-choice">
            <label htmlFor={id}>{f.label} unit</label>{' '}
            <select id={id} value={current} onChange={(e) => onChange(f.name, e.target.value)}>
              {unitsOf(f).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.label}
                </option>
              ))}
            </select>
          </p>
        );
      })}
    </div>
  );
}
