import type { FieldErrors } from 'react-hook-form';
import { FieldInput } from '@/components/ui/field-input';
import { SaveOptIn } from '@/components/ui/save-opt-in';
import type { DomainSpec } from '@/domain/domain-spec';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import { EntrySettings, ErrorSummary, FormIntro, ModelShownFirst } from './predict-form-parts';
import { hasFhirMapping } from './record/record-entry';
import { RecordPanel } from './record/record-panel';
import { RecordSources } from './record/record-sources';
import type { useRecordReading } from './record/use-record-reading';
import type { EntryForm, FormValues } from './use-entry-form';

/** The form's errors that have words, one per field. */
function errorListOf(errors: FieldErrors<FormValues>) {
  return Object.entries(errors)
    .map(([name, e]) => ({ name, message: e?.message }))
    .filter((e): e is { name: string; message: string } => typeof e.message === 'string');
}

interface FormProps {
  domain: DomainId;
  entry: EntryForm;
  models: readonly ModelEntry[];
  selected: ModelEntry | null;
  ready: boolean;
  busy: boolean;
  onSubmit: (e?: React.BaseSyntheticEvent) => Promise<void>;
  onSelect: (m: ModelEntry) => void;
  onClear: () => void;
}

/** The form side of the prediction view: intro and examples, entry settings, the health record, then the form. */
export function EntrySection({ spec, record, ...props }: FormProps & { spec: DomainSpec; record: ReturnType<typeof useRecordReading> }) {
  const { domain, entry } = props;
  return (
    <section aria-labelledby="form-title" className="panel predict-form">
      <FormIntro
        spec={spec}
        models={props.models}
        ready={props.ready}
        onExample={(values) => {
          entry.fill(values);
          void props.onSubmit();
        }}
      />
      <EntrySettings domain={domain} spec={spec} entry={entry} />
      {hasFhirMapping(spec) && <RecordPanel domain={spec} onRead={record.read} error={record.error} onError={record.setError} />}
      {record.record && <RecordSources domain={spec} reading={record.record.reading} from={record.record.from} />}
      <PredictForm {...props} />
    </section>
  );
}

/** The entry form: the values to correct, the fields, the model shown first, the history opt-in, Predict and Clear. */
function PredictForm(props: FormProps) {
  const { domain, entry } = props;
  const { form } = entry;
  const errors = form.formState.errors;
  const errorList = errorListOf(errors);
  return (
    <form onSubmit={props.onSubmit} noValidate aria-describedby={errorList.length ? 'form-errors' : undefined}>
      <ErrorSummary domain={domain} errors={errorList} onFocus={(name) => form.setFocus(name)} />
      <div className="fields">
        {entry.shown.map((f) => (
          <FieldInput
            key={f.name}
            spec={f}
            register={form.register}
            error={errors[f.name]?.message}
            idPrefix={domain}
            note={f.formNote}
            format={entry.format}
          />
        ))}
      </div>
      <ModelShownFirst domain={domain} models={props.models} selected={props.selected} ready={props.ready} onSelect={props.onSelect} />
      <SaveOptIn />
      <div className="actions">
        <button type="submit" disabled={!props.ready || props.busy}>
          Predict
        </button>
        <button type="button" className="secondary" onClick={props.onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}
