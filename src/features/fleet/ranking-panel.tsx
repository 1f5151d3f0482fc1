import { useId, useState } from 'react';
import { saveBlob } from '@/components/ui/save-file';
import type { DayList, RankedDevice } from '@/domain/fleet-rank';
import { formatIsoDay } from '@/domain/history';
import { holdReason, type InspectionSpec } from '@/domain/inspections';
import { countOf } from '@/domain/words';
import type { FleetSummary } from '@/inference/client';
import { DayListHeading, DayListTable } from './day-list';
import { InspectionForm } from './inspection-form';
import { workOrdersCsv } from './work-orders';

export const DEFAULT_K = 10;

/**
 * A day's ranking with the user's capacity and date, the devices held back after an inspection
 * (hidden unless asked for), and the devices a person chooses: for work orders (a download,
 * nothing created elsewhere) and for recording an inspection.
 */
export function RankingPanel(props: {
  domain: string;
  subject: string;
  summary: FleetSummary;
  list: DayList | null;
  hidden: boolean;
  kText: string;
  setKText: (t: string) => void;
  dayText: string;
  setDayText: (t: string) => void;
  inspections: InspectionSpec | null;
  model: { id: string; version: string };
  deviceHref: (id: string) => string;
  onFind: (text: string) => Promise<string[]>;
  onDownload: (kind: 'ranking' | 'rows') => void;
}) {
  const { domain, subject, summary, list, inspections } = props;
  const kId = useId();
  const dayId = useId();
  const searchId = useId();
  const heldId = useId();
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<string[] | null>(null);
  const [showHeld, setShowHeld] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const kNum = Number(props.kText);
  const kValid = Number.isInteger(kNum) && kNum >= 1;
  const choose = (entity: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(entity);
      else next.delete(entity);
      return next;
    });
  const chosenRows: RankedDevice[] = list ? list.devices.filter((d) => chosen.has(d.entity)) : [];
  const holdText = inspections ? (d: RankedDevice) => (d.hold ? holdReason(inspections, d.hold) : '') : undefined;

  async function find() {
    const found = await props.onFind(search);
    if (found.length === 1 || (found[0] !== undefined && found[0].toLowerCase() === search.trim().toLowerCase())) {
      window.location.hash = props.deviceHref(found[0]!);
      setMatches(null);
    } else setMatches(found);
  }

  return (
    <section className="panel" aria-labelledby="fleet-today-title" hidden={props.hidden}>
      <h2 id="fleet-today-title">
        {list ? `Ranking on ${formatIsoDay(list.day)}` : 'Ranking'}
        {list && summary.lastDay === list.day ? ' (the latest date in the log)' : ''}
      </h2>
      <div className="fleet-controls">
        <label htmlFor={kId}>We can inspect</label>{' '}
        <input id={kId} type="number" min={1} step={1} value={props.kText} onChange={(e) => props.setKText(e.target.value)} aria-invalid={!kValid} />{' '}
        <span>{subject}s a day</span>
        {!kValid && <span className="field-error"> Enter a whole number of at least 1 (using {DEFAULT_K}).</span>}
        <label htmlFor={dayId}>Date</label>{' '}
        <input
          id={dayId}
          type="date"
          min={summary.firstDay !== null ? formatIsoDay(summary.firstDay) : undefined}
          max={summary.lastDay !== null ? formatIsoDay(summary.lastDay) : undefined}
          value={props.dayText || (list ? formatIsoDay(list.day) : '')}
          onChange={(e) => props.setDayText(e.target.value)}
        />
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void find();
          }}
        >
          <label htmlFor={searchId}>Find a {subject}</label>{' '}
          <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} /> <button type="submit">Open</button>
        </form>
      </div>
      {matches && (
        <p role="status">
          {matches.length === 0 ? `No ${subject} id contains "${search}".` : 'Matching: '}
          {matches.map((m, i) => (
            <span key={m}>
              {i > 0 && ', '}
              <a href={props.deviceHref(m)}>{m}</a>
            </span>
          ))}
        </p>
      )}
      {list && <DayListHeading list={list} subject={subject} />}
      {list && list.silent.length > 0 && (
        <details data-testid="fleet-silent">
          <summary>
            {countOf(list.silent.length, `${subject} has`, `${subject}s have`)} stopped reporting (no reading on {formatIsoDay(list.day)}, the last
            more than {countOf(summary.gaps?.longerThan ?? 0, 'day')} before)
          </summary>
          <ul aria-label={`${subject}s that stopped reporting`}>
            {list.silent.map((d) => (
              <li key={d.entity}>
                <a href={props.deviceHref(d.entity)}>{d.entity}</a>: last seen {formatIsoDay(d.lastDay)}, {countOf(d.daysSince, 'day')} before
              </li>
            ))}
          </ul>
        </details>
      )}
      {list && list.held > 0 && (
        <p>
          <input id={heldId} type="checkbox" checked={showHeld} onChange={(e) => setShowHeld(e.target.checked)} />{' '}
          <label htmlFor={heldId}>Show the {subject}s held back</label>
        </p>
      )}
      {list && showHeld && list.devices.some((d) => d.hold) && (
        <ul aria-label={`Held back ${subject}s`}>
          {list.devices
            .filter((d) => d.hold)
            .map((d) => (
              <li key={d.entity}>
                <a href={props.deviceHref(d.entity)}>{d.entity}</a>: {holdText!(d)}
              </li>
            ))}
        </ul>
      )}
      {list && (
        <DayListTable
          list={list}
          subject={subject}
          deviceHref={props.deviceHref}
          showHeld={showHeld}
          chosen={chosen}
          onChoose={choose}
          holdText={holdText}
        />
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => props.onDownload('ranking')}>
          Download the ranking (CSV)
        </button>
        <button type="button" className="secondary" onClick={() => props.onDownload('rows')}>
          Download every scored row with its features (CSV)
        </button>
        <button
          type="button"
          className="secondary"
          disabled={chosenRows.length === 0 || !list}
          onClick={() =>
            list &&
            saveBlob(
              new Blob(
                [workOrdersCsv(chosenRows, { day: list.day, total: list.total, modelId: props.model.id, modelVersion: props.model.version })],
                { type: 'text/csv' },
              ),
              `${domain}-work-orders-${formatIsoDay(list.day)}.csv`,
            )
          }
        >
          Download work orders for the {chosenRows.length || ''} chosen (CSV)
        </button>
      </div>
      {inspections && (
        <InspectionForm
          key={list?.day ?? 0}
          domain={domain}
          spec={inspections}
          devices={[...chosen]}
          defaultDay={list?.day ?? null}
          subject={subject}
        />
      )}
    </section>
  );
}
