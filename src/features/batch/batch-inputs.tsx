import { useId, useState } from 'react';
import { NumberFormatChoice, UnitChoices } from '@/components/ui/input-settings';
import { FILE_ACCEPT } from '@/domain/csv/row-source';
import type { DomainSpec } from '@/domain/domain-spec';
import type { FieldSpec } from '@/domain/field-spec';
import type { ModelEntry } from '@/domain/manifest';
import type { NumberFormat } from '@/domain/number-format';
import { unreadInputs } from '@/domain/unread-inputs';

/** What the file needs: the columns the model reads (with their aliases), those it may lack, those ignored, and the label. */
export function BatchLede({ spec, model }: { spec: DomainSpec; model: ModelEntry | null }) {
  const inputs = model ? model.features.map((f) => f.name) : [];
  const unread = model ? unreadInputs(spec, model) : new Map<string, number>();
  const required = inputs.filter((n) => !unread.has(n));
  const aliases = spec.fields.filter((f) => required.includes(f.name)).flatMap((f) => f.aliases ?? []);
  return (
    <p className="lede">
      The file is read and scored in this browser, in chunks; nothing is uploaded. Columns are matched by name in any order and case:{' '}
      {codeList(required)}
      {aliases.length > 0 && <> (also accepted: {codeList(aliases)})</>}
      {unread.size > 0 && <>; optional, as this model does not read them: {codeList([...unread.keys()])}</>}
      {spec.ignoredColumns.length > 0 && <>; ignored: {codeList(spec.ignoredColumns)}</>}. Other columns are kept in the download. With a{' '}
      <code>{spec.labelColumn}</code> column, the model is also evaluated on your data.
    </p>
  );
}

/** The model to score with. */
export function ModelChoice(props: {
  domain: string;
  models: readonly ModelEntry[];
  model: ModelEntry | null;
  ready: boolean;
  onModel: (id: string) => void;
}) {
  const { models, model } = props;
  return (
    <fieldset className="model-choice">
      <legend>Model</legend>
      {models.map((m) => (
        <label key={m.id}>
          <input type="radio" name={`${props.domain}-batch-model`} checked={model?.id === m.id} onChange={() => props.onModel(m.id)} /> {m.title}{' '}
          <code>{m.id}</code>
          {m.default ? ' (default)' : ''}
        </label>
      ))}
      {!props.ready && <p>Loading models…</p>}
    </fieldset>
  );
}

/** How the file's numbers are written, and the units of the columns whose header names none. */
export function FileSettings(props: {
  domain: string;
  fields: readonly FieldSpec[];
  inputs: readonly string[];
  fileFormat: NumberFormat | 'auto';
  setFileFormat: (f: NumberFormat | 'auto') => void;
  units: Readonly<Record<string, string>>;
  setUnit: (field: string, unitId: string) => void;
}) {
  const { fields, fileFormat } = props;
  return (
    <details className="settings">
      <summary>
        Number format and units of the file:{' '}
        {fileFormat === 'auto' ? 'from its delimiter' : fileFormat === 'comma' ? 'decimal comma' : 'decimal point'}
      </summary>
      <NumberFormatChoice
        legend="Numbers in the file"
        value={fileFormat}
        onChange={props.setFileFormat}
        auto="From the delimiter (`;` means decimal commas)"
      />
      <p className="muted small">
        Units: a header may name its unit ({codeList(unitSuffixExamples(fields))}); other columns are read in these units.
      </p>
      <UnitChoices
        fields={fields.filter((f) => props.inputs.includes(f.name))}
        units={props.units}
        onChange={props.setUnit}
        idPrefix={`${props.domain}-batch`}
      />
    </details>
  );
}

/** Where a file is dropped or chosen. */
export function FileDropzone({ disabled, onFile }: { disabled: boolean; onFile: (file: File) => void }) {
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  return (
    <div
      className={`dropzone${dragging ? ' dropzone-active' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer.files[0];
        if (f) onFile(f);
      }}
    >
      <p>Drop a CSV or Parquet file here, or</p>
      <label htmlFor={inputId} className="file-label">
        Choose a CSV or Parquet file
      </label>{' '}
      <input
        id={inputId}
        type="file"
        accept={FILE_ACCEPT}
        disabled={disabled}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          e.target.value = '';
        }}
      />
    </div>
  );
}

/** The button that scores a sample file made up in this browser. */
export function SampleFileButton({ disabled, onTry }: { disabled: boolean; onTry: () => void }) {
  return (
    <p>
      <button type="button" className="secondary" disabled={disabled} onClick={onTry}>
        Try a generated sample file
      </button>{' '}
      <span className="muted small">(made up in this browser from the models&apos; training ranges, with a few bad rows)</span>
    </p>
  );
}

function unitSuffixExamples(fields: readonly { name: string; units?: readonly { columnSuffix?: string }[] }[]): string[] {
  return fields.flatMap((f) => (f.units ?? []).filter((u) => u.columnSuffix).map((u) => `${f.name}_${u.columnSuffix}`)).slice(0, 2);
}

function codeList(names: readonly string[]): React.ReactNode[] {
  return names.map((n) => <code key={n}>{n}</code>).reduce<React.ReactNode[]>((a, c) => (a.length ? [...a, ', ', c] : [c]), []);
}
