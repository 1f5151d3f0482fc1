import { useEffect, useId, useState } from 'react';
import { saveBlob } from '@/components/ui/save-file';
import { getDomain } from '@/domain/domains';
import { errorMessage } from '@/domain/errors';
import { formatIsoDay, parseIsoDay } from '@/domain/history';
import type { DomainId } from '@/domain/manifest';
import { useDomainModels, useInference } from '@/inference/use-inference';
import { DayListHeading, DayListTable } from './day-list';
import { DevicePanel } from './device-panel';
import { FleetEvaluationPanel } from './fleet-evaluation';
import { FleetRunStatus } from './fleet-run-status';
import { FleetSummaryPanel } from './fleet-summary';
import { useFleetAnswer } from './use-fleet-answer';
import { useFleetRun } from './use-fleet-run';

export interface FleetViewProps {
  domain: DomainId;
  /** The device whose page is open (from the route), or null for the day's list. */
  device: string | null;
  /** Links, given by the app (a feature does not know the routes). */
  deviceHref: (id: string) => string;
  listHref: string;
}

const DEFAULT_K = 10;

/**
 * A daily log of a whole fleet, ranked day by day with a model that reads each device's
 * history. The log is read, scored and ranked in the worker; this view asks it for the
 * day's list, a device's timeline, the evaluation and the downloads.
 */
export function FleetView({ domain, device, deviceHref, listHref }: FleetViewProps) {
  const spec = getDomain(domain);
  const subject = spec.subject;
  const inference = useInference();
  const { models, ready } = useDomainModels(domain, 'history');
  const [modelId, setModelId] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const { run, start, cancel } = useFleetRun();
  const [kText, setKText] = useState(String(DEFAULT_K));
  const [dayText, setDayText] = useState('');
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const kId = useId();
  const dayId = useId();
  const searchId = useId();

  useEffect(() => inference.startHelpers(), [inference]);

  const kNum = Number(kText);
  const kValid = Number.isInteger(kNum) && kNum >= 1;
  const k = kValid ? kNum : DEFAULT_K;
  const session = run.phase === 'ready' ? run.session : null;
  const summary = run.phase === 'ready' ? run.summary : null;
  const day = dayText === '' ? null : parseIsoDay(dayText);

  const list = useFleetAnswer(session, session ? { kind: 'day', day, k } : null, setProblem) ?? null;
  // null: the log has no such device.
  const timeline = useFleetAnswer(session, device !== null ? { kind: 'device', entity: device, k } : null, setProblem);
  const evaluation = useFleetAnswer(session, summary?.hasLabel ? { kind: 'evaluation', k } : null, setProblem) ?? null;

  function load(file: File) {
    if (!model) return;
    setMatches(null);
    setProblem(null);
    start(file, model.id);
  }

  async function download(kind: 'ranking' | 'rows') {
    if (!session || !model) return;
    try {
      const blob = kind === 'ranking' ? await session.ask({ kind: 'download-ranking', day, k }) : await session.ask({ kind: 'download-rows' });
      if (blob) saveBlob(blob, kind === 'ranking' ? `${domain}-ranking-${list ? formatIsoDay(list.day) : 'latest'}.csv` : `${domain}-fleet-scored.csv`);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  async function find() {
    if (!session) return;
    const found = await session.ask({ kind: 'search', text: search });
    if (found.length === 1 || (found[0] !== undefined && found[0].toLowerCase() === search.trim().toLowerCase())) {
      window.location.hash = deviceHref(found[0]!);
      setMatches(null);
    } else setMatches(found);
  }

  const history = spec.history!;
  const shownTimeline = device !== null && timeline && timeline.entity === device ? timeline : null;

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
          Choose a daily log (CSV)
        </label>{' '}
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          disabled={!ready || !model}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) load(f);
            e.target.value = '';
          }}
        />
      </section>

      {run.phase !== 'idle' && (
        <section className="panel" aria-labelledby="fleet-file-title">
          <h2 id="fleet-file-title">{run.fileName}</h2>
          <FleetRunStatus run={run} onCancel={cancel} />
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
          {timeline === null && (
            <p className="panel field-error" role="alert">
              No {subject} &quot;{device}&quot; in this log. <a href={listHref}>Back to the day&apos;s list</a>
            </p>
          )}
        </>
      )}

      {summary && (
        <section className="panel" aria-labelledby="fleet-today-title" hidden={device !== null}>
          <h2 id="fleet-today-title">
            {list ? `Ranking on ${formatIsoDay(list.day)}` : 'Ranking'}
            {list && summary.lastDay === list.day ? ' (the latest date in the log)' : ''}
          </h2>
          <div className="fleet-controls">
            <label htmlFor={kId}>We can inspect</label>{' '}
            <input id={kId} type="number" min={1} step={1} value={kText} onChange={(e) => setKText(e.target.value)} aria-invalid={!kValid} />{' '}
            <span>{subject}s a day</span>
            {!kValid && <span className="field-error"> Enter a whole number of at least 1 (using {DEFAULT_K}).</span>}
            <label htmlFor={dayId}>Date</label>{' '}
            <input
              id={dayId}
              type="date"
              min={summary.firstDay !== null ? formatIsoDay(summary.firstDay) : undefined}
              max={summary.lastDay !== null ? formatIsoDay(summary.lastDay) : undefined}
              value={dayText || (list ? formatIsoDay(list.day) : '')}
              onChange={(e) => setDayText(e.target.value)}
            />
            <form
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                void find();
              }}
            >
              <label htmlFor={searchId}>Find a {subject}</label> <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />{' '}
              <button type="submit">Open</button>
            </form>
          </div>
          {matches && (
            <p role="status">
              {matches.length === 0 ? `No ${subject} id contains "${search}".` : 'Matching: '}
              {matches.map((m, i) => (
                <span key={m}>
                  {i > 0 && ', '}
                  <a href={deviceHref(m)}>{m}</a>
                </span>
              ))}
            </p>
          )}
          {list && <DayListHeading list={list} subject={subject} />}
          {list && <DayListTable list={list} subject={subject} deviceHref={deviceHref} />}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void download('ranking')}>
              Download the ranking (CSV)
            </button>
            <button type="button" className="secondary" onClick={() => void download('rows')}>
              Download every scored row with its features (CSV)
            </button>
          </div>
        </section>
      )}

      {summary && device === null && evaluation && model && <FleetEvaluationPanel ev={evaluation} model={model} />}
    </div>
  );
}
