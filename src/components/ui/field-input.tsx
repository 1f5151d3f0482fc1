import { memo } from 'react';
import type { UseFormRegister, FieldValues, Path } from 'react-hook-form';
import { formatLimit, optionsOf, type FieldSpec } from '@/domain/field-spec';
import type { NumberFormat } from '@/domain/number-format';

interface Props<T extends FieldValues> {
  spec: FieldSpec;
  register: UseFormRegister<T>;
  error?: string | undefined;
  note?: string | undefined;
  idPrefix: string;
  /** How limits are written; default decimal point. */
  format?: NumberFormat;
}

/**
 * One labelled input rendered from its field spec: unit, limits and help come with it. Rendered
 * again only when its own props change: each render hands the input a new react-hook-form ref,
 * which registers the field again (a warm submit re-rendered every field, about 0.8 ms in
 * Chromium). A form that resets must keep its fields' refs (`reset(values, { keepFieldsRef: true })`),
 * since its inputs do not render again to register.
 */
export const FieldInput = memo(FieldInputOf) as typeof FieldInputOf;

function FieldInputOf<T extends FieldValues>({ spec, register, error, note, idPrefix, format = 'point' }: Props<T>) {
  const id = `${idPrefix}-${spec.name}`;
  const helpId = `${id}-help`;
  const errId = `${id}-error`;
  const describedBy = [helpId, error ? errId : null].filter(Boolean).join(' ');
  const options = optionsOf(spec);
  const reg = register(spec.name as Path<T>);
  if (options) {
    return (
      <fieldset className={`field field-choice${error ? ' field-invalid' : ''}`} aria-describedby={describedBy}>
        <legend>{spec.label}</legend>
        <div className="choices">
          {options.map((o) => (
            <label key={o.value}>
              <input type="radio" value={String(o.value)} {...reg} aria-invalid={error ? true : undefined} /> {o.label}
            </label>
          ))}
        </div>
        <p id={helpId} className="field-help">
          {spec.help}
        </p>
        {error && (
          <p id={errId} className="field-error" role="alert">
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  const limits = `${formatLimit({ ...spec, unit: '' }, spec.min, format)}–${formatLimit(spec, spec.max, format)}`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {spec.label}
        {spec.unit && <span className="unit"> ({spec.unit})</span>}
        {note && <span className="field-note"> {note}</span>}
      </label>
      <input
        id={id}
        type="text"
        inputMode={spec.kind === 'integer' ? 'numeric' : 'decimal'}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...reg}
      />
      <p id={helpId} className="field-help">
        {spec.help} Accepted: {limits}
        {spec.kind === 'integer' ? ', whole numbers' : ''}.
      </p>
      {error && (
        <p id={errId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
