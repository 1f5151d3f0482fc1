import { NumberFormatChoice, UnitChoices } from '@/components/ui/input-settings';
import { RichText } from '@/components/ui/rich-text';
import { inputsRead, type DomainSpec } from '@/domain/domain-spec';
import type { ModelEntry } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';
import type { EntryForm } from './use-entry-form';

/** The parts of the prediction form, as PredictView lays them out. */

/** The title, the introduction, what the default model reads, and the examples. */
export function FormIntro(props: { spec: DomainSpec; models: readonly ModelEntry[]; ready: boolean; onExample: (values: Values) => void }) {
  const { spec } = props;
  const defaultModel = props.models.find((m) => m.default) ?? null;
  const defaultReads = defaultModel
    ? inputsRead(
        spec,
        defaultModel.id,
        defaultModel.features.map((f) => f.name),
      )
    : [];
  return (
    <>
      <h1 id="form-title">
        {spec.nav.predict}: {spec.title.toLowerCase()} risk
      </h1>
      <p className="lede">
        <RichText text={spec.formIntro} />
      </p>
      {defaultModel && defaultReads.length < spec.fields.length && (
        <p className="muted small" data-testid="reads-note">
          The default model predicts from {defaultReads.map((n) => spec.fields.find((f) => f.name === n)?.label ?? n).join(', ')}; the other values
          may stay blank.
        </p>
      )}
      <div className="presets" role="group" aria-label="Examples">
        <span>Examples:</span>
        {spec.presets.map((p) => (
          <button key={p.id} type="button" className="secondary" onClick={() => props.onExample(p.values)} disabled={!props.ready}>
            {p.label}
          </button>
        ))}
      </div>
    </>
  );
}

/** Units and number format, remembered in this browser. */
export function EntrySettings({ domain, spec, entry }: { domain: string; spec: DomainSpec; entry: EntryForm }) {
  const { format, units, shown } = entry;
  return (
    <details className="settings">
      <summary>
        Units and number format: {format === 'comma' ? 'decimal comma' : 'decimal point'}
        {shown
          .filter((f) => (f.units?.length ?? 0) > 0)
          .map((f) => `; ${f.label.toLowerCase()} in ${f.unit}`)
          .join('')}
      </summary>
      <NumberFormatChoice value={format} onChange={(f) => f !== 'auto' && entry.changeFormat(f)} />
      <UnitChoices fields={spec.fields} units={units} onChange={entry.changeUnit} idPrefix={domain} />
      <p className="muted small">Remembered in this browser. The models always receive their own units; values are converted.</p>
    </details>
  );
}

/** The values to correct, each a link to its field. */
export function ErrorSummary(props: { domain: string; errors: readonly { name: string; message: string }[]; onFocus: (name: string) => void }) {
  const { errors } = props;
  if (errors.length === 0) return null;
  return (
    <div id="form-errors" className="error-summary" role="alert" tabIndex={-1}>
      <h2>Please correct {errors.length === 1 ? 'this value' : `these ${errors.length} values`}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.name}>
            <a
              href={`#${props.domain}-${e.name}`}
              onClick={(ev) => {
                ev.preventDefault();
                props.onFocus(e.name);
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The model whose result is shown first. */
export function ModelShownFirst(props: {
  domain: string;
  models: readonly ModelEntry[];
  selected: ModelEntry | null;
  ready: boolean;
  onSelect: (m: ModelEntry) => void;
}) {
  return (
    <fieldset className="model-choice">
      <legend>Model shown first</legend>
      {props.models.map((m) => (
        <label key={m.id}>
          <input type="radio" name={`${props.domain}-model`} value={m.id} checked={props.selected?.id === m.id} onChange={() => props.onSelect(m)} />{' '}
          {m.title} <code>{m.id}</code>
          {m.default ? ' (default)' : ''}
        </label>
      ))}
      {!props.ready && <p>Loading models…</p>}
    </fieldset>
  );
}
