import { useEffect, useId, useRef, useState } from 'react';
import { saveBlob } from '@/components/ui/save-file';
import { FILE_ACCEPT } from '@/domain/csv/row-source';
import { getDomain } from '@/domain/domains';
import { errorMessage } from '@/domain/errors';
import type { DeviceTimeline } from '@/domain/fleet-report';
import type { InspectionRecord } from '@/domain/fleet-workspace-record';
import { formatIsoDay, parseIsoDay } from '@/domain/history';
import type { InspectionSpec } from '@/domain/inspections';
import type { DomainId } from '@/domain/manifest';
import { SAMPLE_FILE_PREFIX, sampleFleetCsv } from '@/domain/sample-data';
import type { FleetSummary } from '@/inference/client';
import { useDomainModelsEarly, usePreparedJob } from '@/inference/use-inference';
import { DevicePanel } from './device-panel';
import { FleetEvaluationPanel } from './fleet-evaluation';
import { FleetRunStatus } from './fleet-run-status';
import { FleetSummaryPanel } from './fleet-summary';
import { InspectionForm } from './inspection-form';
import { InspectionsPanel } from './inspections-panel';
import { PolicyEvaluation } from './policy-evaluation';
import { DEFAULT_K, RankingPanel } from './ranking-panel';
import { useFleetAnswer } from './use-fleet-answer';
import { KEPT_WORKSPACE, useFleetRun, type FleetRun, type FleetStart } from './use-fleet-run';
import { useInspections } from './use-inspections';
import { useWorkspace } from './use-workspace';
import { useWorkspaceActions } from './use-workspace-actions';
import { WorkspacePanel } from './workspace-panel';

export interface FleetViewProps {
  domain: DomainId;
  /** The device whose page is open (from the route), or null for the day's list. */
  device: string | null;
  /** Links, given by the app (a feature does not know the routes). */
  deviceHref: (id: string) => string;
  listHref: string;
}

/**
 * A daily log of a whole fleet, ranked day by day with a model that reads each device's
 * history. The log is read, scored and ranked in the worker; this view asks it for the
 * day's list, a device's timeline, the evaluation and the downloads.
 */
export function FleetView({ domain, device, deviceHref, listHref }: FleetViewProps) {
  const spec = getDomain(domain);
  const subject = spec.subject;
  const inspections = spec.inspections;
  // The model list before the sessions: a kept workspace opens on it alone (nothing to score).
  const { models, ready } = useDomainModelsEarly(domain, 'history');
  const [modelId, setModelId] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const { run, start, cancel } = useFleetRun();
  usePreparedJob('fleet', model?.id ?? null);
  const [kText, setKText] = useState(String(DEFAULT_K));
  const [dayText, setDayText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const kNum = Number(kText);
  const k = Number.isInteger(kNum) && kNum >= 1 ? kNum : DEFAULT_K;
  const session = run.phase === 'ready' ? run.session : null;
  // The day's list is asked as the run starts: the worker answers once the log is ranked, with no
  // render of the summary between the two (the other questions wait for the summary).
  const listSession = run.phase === 'running' || run.phase === 'ready' ? run.session : null;
  const summary = run.phase === 'ready' ? run.summary : null;
  const day = dayText === '' ? null : parseIsoDay(dayText);
  const running = run.phase === 'running';
  const ws = useWorkspace(domain, inspections?.holdDays ?? 0, running ? '*' : (summary?.workspace?.updatedAt ?? null));
  const insp = useInspections(domain);
  const hold = inspections && insp.inspections.length > 0 ? { inspections: insp.inspections, holdDays: ws.holdDays } : null;

  const list = useFleetAnswer(listSession, listSession ? { kind: 'day', day, k, hold } : null, setProblem) ?? null;
  // null: the log has no such device.
  const timeline = useFleetAnswer(session, device !== null ? { kind: 'device', entity: device, k } : null, setProblem);
  const evaluation = useFleetAnswer(session, summary?.hasLabel ? { kind: 'evaluation', k } : null, setProblem) ?? null;

  function begin(file: File, how: FleetStart) {
    if (!model) return;
    setProblem(null);
    ws.clearChangedElsewhere();
    start(file, model.id, how);
  }
  const actions = useWorkspaceActions(domain, session, ws, insp, begin);
  const policy = useFleetAnswer(session, summary?.hasLabel && inspections ? { kind: 'policy', k, holdDays: ws.holdDays } : null, setProblem) ?? null;

  // A kept workspace opens by itself, once per visit: the latest list without reading a file.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !ws.keepOn || ws.kept.state !== 'ok' || !model || run.phase !== 'idle') return;
    opened.current = true;
    begin(new File([], KEPT_WORKSPACE), 'open');
    // begin is this render's closure over the same model; the effect runs once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ws.keepOn, ws.kept.state, model, run.phase]);

  const load = (file: File) => begin(file, !ws.keepOn ? 'none' : ws.kept.state === 'none' ? 'new' : 'append');

  async function download(kind: 'ranking' | 'rows') {
    if (!session || !model) return;
    try {
      const blob = kind === 'ranking' ? await session.ask({ kind: 'download-ranking', day, k, hold }) : await session.ask({ kind: 'download-rows' });
      if (blob)
        saveBlob(blob, kind === 'ranking' ? `${domain}-ranking-${list ? formatIsoDay(list.day) : 'latest'}.csv` : `${domain}-fleet-scored.csv`);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  const history = spec.history!;
  const appending = ws.keepOn && ws.kept.state !== 'none';

  return (
    <div className="fleet">
      <section className="panel" aria-labelledby="fleet-title">
        <h1 id="fleet-title">{spec.nav.predict} fleet: which to inspect today</h1>
        <p className="lede">
          Load a daily log (one row per {subject} per day: <code>{history.dateColumn}</code>, <code>{history.entityColumn}</code> and the counters, in
          any order; the batch view&apos;s column names and aliases apply; with a <code>{spec.labelColumn}</code> column the ranking is also
          evaluated). Each {subject}&apos;s readings are sorted by date, its recent history is turned into the model&apos;s{' '}
          {model ? model.features.length : ''} features, and each day&apos;s {subject}s are ranked by risk. Everything runs in this browser; nothing
          is uploaded.
        </p>
        <LogChooser
          domain={domain}
          subject={subject}
          models={models}
          model={model}
          ready={ready}
          onModel={setModelId}
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

      <FleetRunSection run={run} summary={summary} subject={subject} problem={problem} onCancel={cancel} />

      {summary && device !== null && (
        <DeviceSection {...{ domain, device, timeline, subject, listHref, inspections }} records={insp.records} lastDay={summary.lastDay} />
      )}

      {summary && model && (
        <RankingPanel
          domain={domain}
          subject={subject}
          summary={summary}
          list={list}
          hidden={device !== null}
          kText={kText}
          setKText={setKText}
          dayText={dayText}
          setDayText={setDayText}
          inspections={inspections}
          model={model}
          deviceHref={deviceHref}
          onFind={(text) => session!.ask({ kind: 'search', text })}
          onDownload={(kind) => void download(kind)}
        />
      )}

      {inspections && device === null && (
        <InspectionsPanel
          domain={domain}
          spec={inspections}
          state={insp}
          subject={subject}
          entityColumn={history.entityColumn}
          holdDays={ws.holdDays}
          setHoldDays={ws.setHoldDays}
        />
      )}

      {summary && device === null && evaluation && model && <FleetEvaluationPanel ev={evaluation} model={model} />}
      {summary && device === null && policy && inspections && <PolicyEvaluation rows={policy} spec={inspections} subject={subject} />}
    </div>
  );
}

/** A device's page: record an inspection of it, and the ones kept. */
function DeviceInspections(props: {
  domain: string;
  device: string;
  spec: InspectionSpec;
  records: readonly InspectionRecord[];
  defaultDay: number | null;
  subject: string;
}) {
  const { spec, device } = props;
  const mine = props.records.filter((r) => r.entity === device);
  return (
    <section className="panel" aria-label={`Inspections of ${device}`}>
      <InspectionForm domain={props.domain} spec={spec} devices={[device]} defaultDay={props.defaultDay} subject={props.subject} />
      {mine.length === 0 ? (
        <p className="muted">No inspection of it is recorded in this browser.</p>
      ) : (
        <ul aria-label="Recorded inspections of this device">
          {mine.map((r) => (
            <li key={r.id}>
              {r.date}: {spec.outcomes.find((o) => o.id === r.outcome)?.label ?? r.outcome}
              {r.note ? ` (${r.note})` : ''}
            </li>
          ))}
        </ul>
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

/** The run's heading, progress or why it stopped, and its summary. */
function FleetRunSection({
  run,
  summary,
  subject,
  problem,
  onCancel,
}: {
  run: FleetRun;
  summary: FleetSummary | null;
  subject: string;
  problem: string | null;
  onCancel: () => void;
}) {
  if (run.phase === 'idle') return null;
  return (
    <section className="panel" aria-labelledby="fleet-file-title">
      <h2 id="fleet-file-title">{run.fileName}</h2>
      {run.phase === 'refused' && run.fileName === KEPT_WORKSPACE ? (
        <p className="field-error" role="alert">
          {run.message}
        </p>
      ) : (
        <FleetRunStatus run={run} onCancel={onCancel} />
      )}
      {summary && run.fileName.startsWith(SAMPLE_FILE_PREFIX) && (
        <p role="note" data-testid="sample-note">
          This is <strong>generated sample data</strong>: a made-up fleet (seeded, the same every time) in which a few {subject}s degrade and fail. It
          is not kept in this browser, and no real {subject} is in it.
        </p>
      )}
      {summary && <FleetSummaryPanel summary={summary} errors={run.errors} subject={subject} />}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** A device's page: its timeline, and its inspections; or a word when the log has no such device. */
function DeviceSection(props: {
  domain: string;
  device: string;
  timeline: DeviceTimeline | null | undefined;
  subject: string;
  listHref: string;
  inspections: InspectionSpec | null;
  records: readonly InspectionRecord[];
  lastDay: number | null;
}) {
  const { device, timeline, subject, listHref, inspections } = props;
  const shown = timeline && timeline.entity === device ? timeline : null;
  return (
    <>
      {shown && <DevicePanel t={shown} subject={subject} listHref={listHref} />}
      {shown && inspections && (
        <DeviceInspections
          domain={props.domain}
          device={device}
          spec={inspections}
          records={props.records}
          defaultDay={props.lastDay}
          subject={subject}
        />
      )}
      {timeline === null && (
        <p className="panel field-error" role="alert">
          No {subject} &quot;{device}&quot; in this log. <a href={listHref}>Back to the day&apos;s list</a>
        </p>
      )}
    </>
  );
}
