import { useId } from 'react';
import { FILE_ACCEPT } from '@/domain/csv/row-source';
import type { DomainSpec } from '@/domain/domain-spec';
import type { DomainId } from '@/domain/manifest';
import { SAMPLE_FILE_PREFIX, sampleFleetCsv } from '@/domain/sample-data';
import type { FleetLog } from './use-fleet-log';
import { KEPT_WORKSPACE } from './use-fleet-run';
import type { useWorkspaceActions } from './use-workspace-actions';
import { WorkspacePanel } from './workspace-panel';

/**
 * The top of the fleet page: what a daily log holds and how it is ranked, the model and the
 * file (or the sample) to rank, and the workspace kept in this browser with what its buttons did.
 */
export function FleetLogSection({
  domain,
  spec,
  log,
  actions,
}: {
  domain: DomainId;
  spec: DomainSpec;
  log: FleetLog;
  actions: ReturnType<typeof useWorkspaceActions>;
}) {
  const { models, ready, model, ws, session, summary, running, begin } = log;
  const subject = spec.subject;
  const history = spec.history!;
  const appending = ws.keepOn && ws.kept.state !== 'none';
  const load = (file: File) => begin(file, !ws.keepOn ? 'none' : ws.kept.state === 'none' ? 'new' : 'append');

  return (
    <section className="panel" aria-labelledby="fleet-title">
      <h1 id="fleet-title">{spec.nav.predict} fleet: which to inspect today</h1>
      <p className="lede">
        Load a daily log (one row per {subject} per day: <code>{history.dateColumn}</code>, <code>{history.entityColumn}</code> and the counters, in
        any order; the batch view&apos;s column names and aliases apply; with a <code>{spec.labelColumn}</code> column the ranking is also evaluated).
        Each {subject}&apos;s readings are sorted by date, its recent history is turned into the model&apos;s {model ? model.features.length : ''}{' '}
        features, and each day&apos;s {subject}s are ranked by risk. Everything runs in this browser; nothing is uploaded.
      </p>
      <LogChooser
        domain={domain}
        subject={subject}
        models={models}
        model={model}
        ready={ready}
        onModel={log.setModelId}
        appending={appending}
        disabled={!ready || !model || running}
        onFile={load}
        onSample={() =>
          model && begin(new File([sampleFleetCsv(spec, model)], `${SAMPLE_FILE_PREFIX}-${domain}-fleet.csv`, { type: 'text/csv' }), 'none')
        }
      />
      <WorkspacePanel
        subject={subject}
        keepOn={ws.keepOn}
        setKeepOn={ws.setKeepOn}
        kept={ws.kept}
        summary={summary}
        changedElsewhere={ws.changedElsewhere}
        onReload={() => model && begin(new File([], KEPT_WORKSPACE), 'open')}
        onExport={(session && ws.kept.state === 'ok') || ws.kept.state === 'unreadable' ? () => void actions.exportWorkspace() : null}
        onImport={(f) => void actions.importWorkspace(f)}
        onDelete={() => void actions.removeWorkspace()}
        busy={running}
      />
      {actions.said && <p role="status">{actions.said}</p>}
      {actions.problem && (
        <p className="field-error" role="alert">
          {actions.problem}
        </p>
      )}
    </section>
  );
}

/** The model to rank with and the file input (a new log, or a day's export appended to the kept one). */
function LogChooser(props: {
  domain: string;
  subject: string;
  models: readonly { id: string; title: string }[];
  model: { id: string } | null;
  ready: boolean;
  onModel: (id: string) => void;
  appending: boolean;
  disabled: boolean;
  onFile: (f: File) => void;
  onSample: () => void;
}) {
  const { domain, subject, models, model, ready } = props;
  const inputId = useId();
  return (
    <>
      <fieldset className="model-choice">
        <legend>Model</legend>
        {models.map((m) => (
          <label key={m.id}>
            <input type="radio" name={`${domain}-fleet-model`} checked={model?.id === m.id} onChange={() => props.onModel(m.id)} /> {m.title}{' '}
            <code>{m.id}</code>
          </label>
        ))}
        {!ready && <p>Loading models…</p>}
        {ready && models.length === 0 && <p className="field-error">No model that reads a {subject}&apos;s history is available.</p>}
      </fieldset>
      <label htmlFor={inputId} className="file-label">
        {props.appending ? "Append a day's export (CSV or Parquet)" : 'Choose a daily log (CSV or Parquet)'}
      </label>{' '}
      <input
        id={inputId}
        type="file"
        accept={FILE_ACCEPT}
        disabled={props.disabled}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) props.onFile(f);
          e.target.value = '';
        }}
      />{' '}
      <button type="button" className="secondary" disabled={props.disabled} onClick={props.onSample}>
        Try a generated sample fleet
      </button>
    </>
  );
}
