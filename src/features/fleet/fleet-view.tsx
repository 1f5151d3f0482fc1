import { useEffect, useId, useRef, useState } from 'react';
import { saveBlob } from '@/components/ui/save-file';
import { getDomain } from '@/domain/domains';
import { errorMessage } from '@/domain/errors';
import { formatIsoDay, parseIsoDay } from '@/domain/history';
import type { DomainId } from '@/domain/manifest';
import { useDomainModels, useInference } from '@/inference/use-inference';
import { DevicePanel } from './device-panel';
import { FleetEvaluationPanel } from './fleet-evaluation';
import { FleetRunStatus } from './fleet-run-status';
import { FleetSummaryPanel } from './fleet-summary';
import { useFleetAnswer } from './use-fleet-answer';
import { KEPT_WORKSPACE, useFleetRun, type FleetStart } from './use-fleet-run';
import { parseWorkspaceExport, readInspections, toInspection } from '@/domain/fleet-workspace-record';
import { addInspections } from '@/storage/inspection-store';
import { deleteWorkspace, readRaw } from '@/storage/fleet-workspace-store';
import { InspectionForm } from './inspection-form';
import { InspectionsPanel } from './inspections-panel';
import { DEFAULT_K, RankingPanel } from './ranking-panel';
import { useInspections } from './use-inspections';
import { useWorkspace } from './use-workspace';
import { WorkspacePanel } from './workspace-panel';

export interface FleetViewProps {
  domain: DomainId;
  /** The device whose page is open (from the route), or null for the day's list. */
  device: string | null;
  /** Links, given by the app (a feature does not know the routes). */
  deviceHref: (id: string) => string;
  listHref: string;
}

/** An export of an unreadable workspace: its records as they are (typed arrays as plain lists). */
function rawJson(raw: unknown): string {
  return JSON.stringify(raw, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
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
  const inference = useInference();
  const { models, ready } = useDomainModels(domain, 'history');
  const [modelId, setModelId] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const { run, start, cancel } = useFleetRun();
  const [kText, setKText] = useState(String(DEFAULT_K));
  const [dayText, setDayText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const inputId = useId();

  useEffect(() => inference.startHelpers(), [inference]);

  const kNum = Number(kText);
  const k = Number.isInteger(kNum) && kNum >= 1 ? kNum : DEFAULT_K;
  const session = run.phase === 'ready' ? run.session : null;
  const summary = run.phase === 'ready' ? run.summary : null;
  const day = dayText === '' ? null : parseIsoDay(dayText);
  const running = run.phase === 'running';
  const ws = useWorkspace(domain, inspections?.holdDays ?? 0, running ? '*' : (summary?.workspace?.updatedAt ?? null));
  const insp = useInspections(domain);
  const hold = inspections && insp.inspections.length > 0 ? { inspections: insp.inspections, holdDays: ws.holdDays } : null;

  const list = useFleetAnswer(session, session ? { kind: 'day', day, k, hold } : null, setProblem) ?? null;
  // null: the log has no such device.
  const timeline = useFleetAnswer(session, device !== null ? { kind: 'device', entity: device, k } : null, setProblem);
  const evaluation = useFleetAnswer(session, summary?.hasLabel ? { kind: 'evaluation', k } : null, setProblem) ?? null;

  function begin(file: File, how: FleetStart) {
    if (!model) return;
    setProblem(null);
    setSaid(null);
    ws.clearChangedElsewhere();
    start(file, model.id, how);
  }

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
      const blob = kind === 'ranking' ? await session.ask({ kind: 'download-ranking', day, k }) : await session.ask({ kind: 'download-rows' });
      if (blob) saveBlob(blob, kind === 'ranking' ? `${domain}-ranking-${list ? formatIsoDay(list.day) : 'latest'}.csv` : `${domain}-fleet-scored.csv`);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  async function exportWorkspace() {
    try {
      if (session && ws.kept.state === 'ok') {
        saveBlob(await session.ask({ kind: 'download-workspace', inspections: insp.records, unreadable: insp.unreadable }), `${domain}-fleet-workspace.json`);
      } else {
        const raw = await readRaw(domain);
        saveBlob(new Blob([rawJson({ format: 'prognos-fleet-workspace-unreadable', domain, ...raw, inspections: insp.records, unreadable: insp.unreadable })], { type: 'application/json' }), `${domain}-fleet-workspace-as-kept.json`);
      }
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  async function importWorkspace(file: File) {
    const r = parseWorkspaceExport(await file.text());
    if (!r.ok) {
      setProblem(r.message);
      return;
    }
    const records = readInspections(r.value.inspections.map((x, i) => [String(i), x]));
    ws.setKeepOn(true);
    begin(new File([r.value.logCsv], `${file.name} (imported)`, { type: 'text/csv' }), 'new');
    await addInspections(domain, records.records.map(toInspection));
    setSaid(`Imported ${file.name}: its log is loaded as a new workspace and ${records.records.length} inspections are kept${records.unreadable.length ? `; ${records.unreadable.length} inspection records in it could not be read and were left out` : ''}.`);
  }

  async function removeWorkspace() {
    await deleteWorkspace(domain);
    ws.refresh();
    setSaid('The fleet workspace was deleted from this browser. The list shown stays until you leave the page; the inspections are kept until you delete them.');
  }

  const history = spec.history!;
  const shownTimeline = device !== null && timeline && timeline.entity === device ? timeline : null;
  const appending = ws.keepOn && ws.kept.state !== 'none';

  return (
    <div className="fleet">
      <section className="panel" aria-labelledby="fleet-title">
        <h1 id="fleet-title">{spec.nav.predict} fleet: which to inspect today</h1>
        <p className="lede">
          Load a daily log (one row per {subject} per day: <code>{history.dateColumn}</code>, <code>{history.entityColumn}</code> and
          the counters, in any order; the batch view&apos;s column names and aliases apply; with a <code>{spec.labelColumn}</code>{' '}
          column the ranking is also evaluated). Each {subject}&apos;s readings are sorted by date, its recent history is turned into
          the model&apos;s {model ? model.features.length : ''} features, and each day&apos;s {subject}s are ranked by risk. Everything
          runs in this browser; nothing is uploaded.
        </p>
        <fieldset className="model-choice">
          <legend>Model</legend>
          {models.map((m) => (
            <label key={m.id}>
              <input type="radio" name={`${domain}-fleet-model`} checked={model?.id === m.id} onChange={() => setModelId(m.id)} /> {m.title}{' '}
              <code>{m.id}</code>
            </label>
          ))}
          {!ready && <p>Loading models…</p>}
          {ready && models.length === 0 && <p className="field-error">No model that reads a {subject}&apos;s history is available.</p>}
        </fieldset>
        <label htmlFor={inputId} className="file-label">
          {appending ? "Append a day's export (CSV)" : 'Choose a daily log (CSV)'}
        </label>{' '}
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          disabled={!ready || !model || running}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) load(f);
            e.target.value = '';
          }}
        />
        <WorkspacePanel
          subject={subject}
          keepOn={ws.keepOn}
          setKeepOn={ws.setKeepOn}
          kept={ws.kept}
          summary={summary}
          changedElsewhere={ws.changedElsewhere}
          onReload={() => model && begin(new File([], KEPT_WORKSPACE), 'open')}
          onExport={(session && ws.kept.state === 'ok') || ws.kept.state === 'unreadable' ? () => void exportWorkspace() : null}
          onImport={(f) => void importWorkspace(f)}
          onDelete={() => void removeWorkspace()}
          busy={running}
        />
        {said && <p role="status">{said}</p>}
      </section>

      {run.phase !== 'idle' && (
        <section className="panel" aria-labelledby="fleet-file-title">
          <h2 id="fleet-file-title">{run.fileName}</h2>
          {run.phase === 'refused' && run.fileName === KEPT_WORKSPACE ? (
            <p className="field-error" role="alert">
              {run.message}
            </p>
          ) : (
            <FleetRunStatus run={run} onCancel={cancel} />
          )}
          {summary && <FleetSummaryPanel summary={summary} errors={run.errors} subject={subject} />}
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
        </section>
      )}

      {summary && device !== null && (
        <>
          {shownTimeline && <DevicePanel t={shownTimeline} subject={subject} listHref={listHref} />}
          {shownTimeline && inspections && (
            <section className="panel" aria-label={`Inspections of ${device}`}>
              <InspectionForm domain={domain} spec={inspections} devices={[device]} defaultDay={summary.lastDay} subject={subject} />
              <InspectionList records={insp.records.filter((r) => r.entity === device)} spec={inspections} />
            </section>
          )}
          {timeline === null && (
            <p className="panel field-error" role="alert">
              No {subject} &quot;{device}&quot; in this log. <a href={listHref}>Back to the day&apos;s list</a>
            </p>
          )}
        </>
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
    </div>
  );
}

function InspectionList({ records, spec }: { records: readonly { id: string; date: string; outcome: string; note: string }[]; spec: { outcomes: readonly { id: string; label: string }[] } }) {
  if (records.length === 0) return <p className="muted">No inspection of it is recorded in this browser.</p>;
  return (
    <ul aria-label="Recorded inspections of this device">
      {records.map((r) => (
        <li key={r.id}>
          {r.date}: {spec.outcomes.find((o) => o.id === r.outcome)?.label ?? r.outcome}
          {r.note ? ` (${r.note})` : ''}
        </li>
      ))}
    </ul>
  );
}
