import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import type { DomainSpec } from '@/domain/domain-spec';
import { shownFields, toFormText, type InputSettings } from '@/domain/form-text';
import type { DomainId } from '@/domain/manifest';
import type { NumberFormat } from '@/domain/number-format';
import type { Values } from '@/domain/to-vector';
import { useNumberFormat, useUnits } from '@/storage/use-input-settings';

export type FormValues = Record<string, string>;

/** The form's checks (the field schemas): loaded once the form is drawn, not before it. */
export const formInput = () => import('@/domain/form-input');

/** Every field empty. */
export function blank(fields: readonly { name: string }[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, '']));
}

/**
 * The prediction form: react-hook-form checked by the field schemas, in the number format and
 * units this browser remembers. Changing a unit or the format rewrites what was typed as the
 * same quantity.
 */
export function useEntryForm(domain: DomainId, spec: DomainSpec) {
  const [format, setFormat] = useNumberFormat();
  const [units, setUnit] = useUnits(domain);
  const settings: InputSettings = useMemo(() => ({ format, units }), [format, units]);
  const shown = useMemo(() => shownFields(spec.fields, units), [spec.fields, units]);
  // The checks load while the person reads the form (the first submit waits for them if need be).
  useEffect(() => void formInput(), []);

  // The resolver reads the settings of the latest render (format and units can change between submits).
  const settingsRef = useRef(settings);
  useLayoutEffect(() => {
    settingsRef.current = settings;
  }, [settings]);
  const resolver = useCallback<Resolver<FormValues, unknown, Values>>(
    async (raw) => {
      const { parseFormInput } = await formInput();
      const r = parseFormInput(spec.fields, raw, settingsRef.current);
      if (r.ok) return { values: r.values, errors: {} };
      const errors = Object.fromEntries(r.errors.map((e) => [e.field, { type: 'validate', message: e.message }]));
      return { values: {}, errors: errors as FieldErrors<FormValues> };
    },
    [spec.fields],
  );
  const form = useForm<FormValues, unknown, Values>({ resolver, defaultValues: blank(spec.fields), reValidateMode: 'onChange' });

  /** Keep what was typed as the same quantity: a valid value is rewritten in the new unit or format. */
  async function rewrite(next: InputSettings, names: readonly string[]) {
    const { parseFormInput } = await formInput();
    const fields = spec.fields.filter((f) => names.includes(f.name));
    for (const f of fields) {
      const r = parseFormInput([f], { [f.name]: form.getValues(f.name) }, settings);
      if (r.ok && r.values[f.name] !== undefined) form.setValue(f.name, toFormText([f], r.values, next)[f.name]!);
    }
  }
  function changeUnit(field: string, unitId: string) {
    void rewrite({ format, units: { ...units, [field]: unitId } }, [field]);
    setUnit(field, unitId);
    form.clearErrors(field);
  }
  function changeFormat(f: NumberFormat) {
    void rewrite(
      { format: f, units },
      spec.fields.map((x) => x.name),
    );
    setFormat(f);
    form.clearErrors();
  }
  /**
   * Values into the form, written in the current settings. The fields keep their registration
   * through the reset (keepFieldsRef): react-hook-form would otherwise forget every field and
   * wait for each input to render again to register it, and the inputs render only when their
   * own props change (FieldInput is memoised).
   */
  function fill(values: Values) {
    form.reset(toFormText(spec.fields, values, settingsRef.current), { keepFieldsRef: true });
  }
  /** Every field empty; the fields keep their registration, as in fill. */
  function clear() {
    form.reset(blank(spec.fields), { keepFieldsRef: true });
  }

  return { form, format, units, settings, settingsRef, shown, changeUnit, changeFormat, fill, clear };
}

export type EntryForm = ReturnType<typeof useEntryForm>;
