import { useId, useState } from 'react';
import { EvaluationPanel } from '@/components/ui/evaluation-panel';
import { NumberFormatChoice, UnitChoices } from '@/components/ui/input-settings';
import { JobStopped } from '@/components/ui/job-stopped';
import { ThresholdControl } from '@/components/ui/threshold-control';
import { FILE_ACCEPT } from '@/domain/csv/row-source';
import { getDomain } from '@/domain/domains';
import type { DomainId } from '@/domain/manifest';
import type { NumberFormat } from '@/domain/number-format';
import { SAMPLE_FILE_PREFIX, sampleBatchCsv, trainingRanges } from '@/domain/sample-data';
import { modelsNeeding, unreadInputs } from '@/domain/unread-inputs';
import { useDomainModels, useHelpersReady, usePreparedJob } from '@/inference/use-inference';
import { useCutoff } from '@/storage/use-cutoff';
import { useUnits } from '@/storage/use-input-settings';
import { ProgressBlock } from './batch-progress';
import { Summary } from './batch-summary';
import { CurvesPanel } from './curves-panel';
import { ResultsTable } from './results-table';
import { useBatchRun } from './use-batch-run';

/**
 * Score a CSV file in the workers. The run's state and its render budget (progress every
 * 400 ms, summary first then the table in a transition) are in use-batch-run.ts; the curves
 * are staged one chart per task in curves-panel.tsx.
 */
export function BatchView({ domain }: { domain: DomainId }) {
  const spec = getDomain(domain);
  const { models, ready } = useDomainModels(domain);
  const helpersReady = useHelpersReady();
  const [modelId, setModelId] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const choice = useCutoff(model);
  const { run: phase, start: startRun, cancel } = useBatchRun();
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  // How the file's numbers are written: from its delimiter unless set; units of columns whose header names none.
  const [fileFormat, setFileFormat] = useState<NumberFormat | 'auto'>('auto');
  const [units, setUnit] = useUnits(domain);
  const [lastFile, setLastFile] = useState<File | null>(null);

  // Helper workers score chunks on the other cores; started now, they are ready when a file is.
  usePreparedJob('batch', model?.id ?? null);

  function start(file: File, format: NumberFormat | 'auto' = fileFormat) {
    if (!model) return;
    setLastFile(file);
    startRun(file, model.id, { numberFormat: format, units });
  }

  /** The summary's switch: the same file read again in the other format. */
  function reread(format: NumberFormat) {
    setFileFormat(format);
    if (lastFile) start(lastFile, format);
  }

  const progress = phase.phase === 'running' ? phase.progress : phase.phase === 'finished' ? phase.progress : null;
  const inputs = model ? model.features.map((f) => f.name) : [];
  const unread = model ? unreadInputs(spec, model) : new Map<string, number>();
  const required = inputs.filter((n) => !unread.has(n));
  const absent = phase.phase === 'finished' ? (phase.header?.reading?.absent ?? []) : [];
  const aliases = spec.fields.filter((f) => required.includes(f.name)).flatMap((f) => f.aliases ?? []);

  return (
    <div className="batch">
      <section className="panel" aria-labelledby="batch-title">
        <h1 id="batch-title">{spec.nav.batch}: score a CSV file</h1>
        <p className="lede">
          The file is read and scored in this browser, in chunks; nothing is uploaded. Columns are matched by name in any order and case:{' '}
          {codeList(required)}
          {aliases.length > 0 && <> (also accepted: {codeList(aliases)})</>}
          {unread.size > 0 && <>; optional, as this model does not read them: {codeList([...unread.keys()])}</>}
          {spec.ignoredColumns.length > 0 && <>; ignored: {codeList(spec.ignoredColumns)}</>}. Other columns are kept in the download. With a{' '}
          <code>{spec.labelColumn}</code> column, the model is also evaluated on your data.
        </p>
        <fieldset className="model-choice">
          <legend>Model</legend>
          {models.map((m) => (
            <label key={m.id}>
              <input type="radio" name={`${domain}-batch-model`} checked={model?.id === m.id} onChange={() => setModelId(m.id)} /> {m.title}{' '}
              <code>{m.id}</code>
              {m.default ? ' (default)' : ''}
            </label>
          ))}
          {!ready && <p>Loading models…</p>}
        </fieldset>
        {model && <ThresholdControl model={model} choice={choice} />}
        <details className="settings">
          <summary>
            Number format and units of the file:{' '}
            {fileFormat === 'auto' ? 'from its delimiter' : fileFormat === 'comma' ? 'decimal comma' : 'decimal point'}
          </summary>
          <NumberFormatChoice
            legend="Numbers in the file"
            value={fileFormat}
            onChange={setFileFormat}
            auto="From the delimiter (`;` means decimal commas)"
          />
          <p className="muted small">
            Units: a header may name its unit ({codeList(unitSuffixExamples(spec.fields))}); other columns are read in these units.
          </p>
          <UnitChoices fields={spec.fields.filter((f) => inputs.includes(f.name))} units={units} onChange={setUnit} idPrefix={`${domain}-batch`} />
        </details>
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
            if (f) start(f);
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
            disabled={!ready}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) start(f);
              e.target.value = '';
            }}
          />
        </div>
        <p>
          <button
            type="button"
            className="secondary"
            disabled={!ready || !model}
            onClick={() =>
              start(new File([sampleBatchCsv(spec, trainingRanges(models))], `${SAMPLE_FILE_PREFIX}-${domain}.csv`, { type: 'text/csv' }))
            }
          >
            Try a generated sample file
          </button>{' '}
          <span className="muted small">(made up in this browser from the models&apos; training ranges, with a few bad rows)</span>
        </p>
        {helpersReady > 0 && (
          <p className="muted small" data-testid="batch-workers">
            Ready to score on {helpersReady + 1} processor cores in parallel.
          </p>
        )}
      </section>

      {phase.phase !== 'idle' && (
        <section className="panel" aria-labelledby="batch-progress-title">
          <h2 id="batch-progress-title">{phase.fileName}</h2>
          <JobStopped run={phase} failedLead="Scoring failed" />
          {(phase.phase === 'running' || phase.phase === 'finished') && (
            <ProgressBlock progress={progress} running={phase.phase === 'running'} onCancel={cancel} />
          )}
          {phase.phase === 'finished' && (
            <Summary
              run={phase}
              onReread={lastFile ? reread : null}
              threshold={choice.changed ? choice.threshold : undefined}
              absent={model ? modelsNeeding(spec, models, absent) : []}
              modelId={model?.id ?? ''}
            />
          )}
        </section>
      )}

      {phase.phase === 'finished' && phase.evaluating && (
        <p className="panel" data-testid="batch-evaluating">
          Computing the evaluation on your labels…
        </p>
      )}
      {phase.phase === 'finished' && phase.evaluation && model && <EvaluationPanel report={phase.evaluation} model={model} />}
      {/* Mounted from the start with the model card's curves, so the labelled file's curves
          arrive as a cheap update rather than a first chart render at the end of a batch. */}
      {model && <CurvesPanel report={phase.phase === 'finished' ? phase.evaluation : null} model={model} />}

      {phase.phase !== 'idle' && phase.header && phase.shown > 0 && model && (
        <ResultsTable
          rows={phase.session.rows}
          count={phase.shown}
          running={phase.phase === 'running'}
          header={phase.header}
          model={choice.changed ? { ...model, threshold: choice.threshold } : model}
        />
      )}
    </div>
  );
}

function unitSuffixExamples(fields: readonly { name: string; units?: readonly { columnSuffix?: string }[] }[]): string[] {
  return fields.flatMap((f) => (f.units ?? []).filter((u) => u.columnSuffix).map((u) => `${f.name}_${u.columnSuffix}`)).slice(0, 2);
}

function codeList(names: readonly string[]): React.ReactNode[] {
  return names.map((n) => <code key={n}>{n}</code>).reduce<React.ReactNode[]>((a, c) => (a.length ? [...a, ', ', c] : [c]), []);
}
