import type { UseFormRegister, FieldValues, Path } from 'react-hook-form';
import { formatLimit, optionsOf } from '@/domain/field-spec';
import type { FieldSpec } from '@/domain/fields';
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

/** One labelled input rendered from its field spec: unit, limits and help come with it. */
export function FieldInput<T extends FieldValues>({ spec, register, error, note, idPrefix, format = 'point' }: Props<T>) {
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
