import { useState } from 'react';
import { EvaluationPanel } from '@/components/ui/evaluation-panel';
import { JobStopped } from '@/components/ui/job-stopped';
import { ThresholdControl } from '@/components/ui/threshold-control';
import type { DomainSpec } from '@/domain/domain-spec';
import { getDomain } from '@/domain/domains';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import type { NumberFormat } from '@/domain/number-format';
import { SAMPLE_FILE_PREFIX, sampleBatchCsv, trainingRanges } from '@/domain/sample-data';
import { modelsNeeding } from '@/domain/unread-inputs';
import { useDomainModels, useHelpersReady, usePreparedJob } from '@/inference/use-inference';
import { useCutoff, type CutoffChoice } from '@/storage/use-cutoff';
import { useUnits } from '@/storage/use-input-settings';
import { BatchLede, FileDropzone, FileSettings, ModelChoice, SampleFileButton } from './batch-inputs';
import { ProgressBlock } from './batch-progress';
import { Summary } from './batch-summary';
import { CurvesPanel } from './curves-panel';
import { ResultsTable } from './results-table';
import { useBatchRun, type BatchRun } from './use-batch-run';

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
  const file = useBatchFile(domain, model, startRun);

  // Helper workers score chunks on the other cores; started now, they are ready when a file is.
  usePreparedJob('batch', model?.id ?? null);

  const inputs = model ? model.features.map((f) => f.name) : [];

  return (
    <div className="batch">
      <section className="panel" aria-labelledby="batch-title">
        <h1 id="batch-title">{spec.nav.batch}: score a CSV file</h1>
        <BatchLede spec={spec} model={model} />
        <ModelChoice domain={domain} models={models} model={model} ready={ready} onModel={setModelId} />
        {model && <ThresholdControl model={model} choice={choice} />}
        <FileSettings
          domain={domain}
          fields={spec.fields}
          inputs={inputs}
          fileFormat={file.fileFormat}
          setFileFormat={file.setFileFormat}
          units={file.units}
          setUnit={file.setUnit}
        />
        <FileDropzone disabled={!ready} onFile={(f) => file.start(f)} />
        <SampleFileButton
          disabled={!ready || !model}
          onTry={() =>
            file.start(new File([sampleBatchCsv(spec, trainingRanges(models))], `${SAMPLE_FILE_PREFIX}-${domain}.csv`, { type: 'text/csv' }))
          }
        />
        {helpersReady > 0 && (
          <p className="muted small" data-testid="batch-workers">
            Ready to score on {helpersReady + 1} processor cores in parallel.
          </p>
        )}
      </section>

      {phase.phase !== 'idle' && (
        <BatchRunSection {...{ phase, spec, models, model, choice }} onReread={file.lastFile ? file.reread : null} onCancel={cancel} />
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

/**
 * The file to score and how it is read: its number format (from its delimiter unless set) and
 * the units of columns whose header names none; `start` scores a file, `reread` the last one again.
 */
function useBatchFile(domain: DomainId, model: ModelEntry | null, startRun: ReturnType<typeof useBatchRun>['start']) {
  const [fileFormat, setFileFormat] = useState<NumberFormat | 'auto'>('auto');
  const [units, setUnit] = useUnits(domain);
  const [lastFile, setLastFile] = useState<File | null>(null);

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
  return { fileFormat, setFileFormat, units, setUnit, lastFile, start, reread };
}

/** The file's run: its name, why it stopped, its progress with Cancel, and the summary once finished. */
function BatchRunSection(props: {
  phase: Exclude<BatchRun, { phase: 'idle' }>;
  spec: DomainSpec;
  models: readonly ModelEntry[];
  model: ModelEntry | null;
  choice: CutoffChoice;
  onReread: ((format: NumberFormat) => void) | null;
  onCancel: () => void;
}) {
  const { phase, model, choice } = props;
  const progress = phase.phase === 'running' ? phase.progress : phase.phase === 'finished' ? phase.progress : null;
  const absent = phase.phase === 'finished' ? (phase.header?.reading?.absent ?? []) : [];
  return (
    <section className="panel" aria-labelledby="batch-progress-title">
      <h2 id="batch-progress-title">{phase.fileName}</h2>
      <JobStopped run={phase} failedLead="Scoring failed" />
      {(phase.phase === 'running' || phase.phase === 'finished') && (
        <ProgressBlock progress={progress} running={phase.phase === 'running'} onCancel={props.onCancel} />
      )}
      {phase.phase === 'finished' && (
        <Summary
          run={phase}
          onReread={props.onReread}
          threshold={choice.changed ? choice.threshold : undefined}
          absent={model ? modelsNeeding(props.spec, props.models, absent) : []}
          modelId={model?.id ?? ''}
        />
      )}
    </section>
  );
}
