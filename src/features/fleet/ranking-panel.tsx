import { memo, useDeferredValue, useId, useState } from 'react';
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
  const { domain, subject, summary, list, inspections, deviceHref } = props;
  const search = useDeviceSearch(props.onFind, deviceHref);
  const [showHeld, setShowHeld] = useState(false);
  const [chosen, choose] = useChosen();
  const holdText = inspections ? (d: RankedDevice) => (d.hold ? holdReason(inspections, d.hold) : '') : undefined;

  return (
    <section className="panel" aria-labelledby="fleet-today-title" hidden={props.hidden}>
      <h2 id="fleet-today-title">
        {list ? `Ranking on ${formatIsoDay(list.day)}` : 'Ranking'}
        {list && summary.lastDay === list.day ? ' (the latest date in the log)' : ''}
      </h2>
      <RankingControls
        {...{ subject, summary, list, search }}
        kText={props.kText}
        setKText={props.setKText}
        dayText={props.dayText}
        setDayText={props.setDayText}
      />
      {search.matches && <SearchMatches matches={search.matches} text={search.text} subject={subject} deviceHref={deviceHref} />}
      {list && <DayListHeading list={list} subject={subject} />}
      {list && list.silent.length > 0 && <SilentDevices {...{ list, summary, subject, deviceHref }} />}
      {list && <HeldBack {...{ list, subject, showHeld, setShowHeld, deviceHref, holdText }} />}
      {list && (
        <DayListTable
          list={list}
          subject={subject}
          deviceHref={deviceHref}
          showHeld={showHeld}
          chosen={chosen}
          onChoose={choose}
          holdText={holdText}
        />
      )}
      <RankingDownloads {...{ domain, list, chosen }} model={props.model} onDownload={props.onDownload} />
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

/** The devices a person has chosen, and the switch for one of them. */
function useChosen(): [ReadonlySet<string>, (entity: string, on: boolean) => void] {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const choose = (entity: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(entity);
      else next.delete(entity);
      return next;
    });
  return [chosen, choose];
}

/** Finding a device by id: one match (or an exact one) opens its page, several are listed. */
function useDeviceSearch(onFind: (text: string) => Promise<string[]>, deviceHref: (id: string) => string) {
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<string[] | null>(null);
  async function find() {
    const found = await onFind(text);
    if (found.length === 1 || (found[0] !== undefined && found[0].toLowerCase() === text.trim().toLowerCase())) {
      window.location.hash = deviceHref(found[0]!);
      setMatches(null);
    } else setMatches(found);
  }
  return { text, setText, matches, find };
}

type DeviceSearch = ReturnType<typeof useDeviceSearch>;

/** The capacity (K), the date to rank, and the search for a device. */
function RankingControls(props: {
  subject: string;
  summary: FleetSummary;
  list: DayList | null;
  kText: string;
  setKText: (t: string) => void;
  dayText: string;
  setDayText: (t: string) => void;
  search: DeviceSearch;
}) {
  const { subject, summary, list, search } = props;
  const kId = useId();
  const dayId = useId();
  const searchId = useId();
  const kNum = Number(props.kText);
  const kValid = Number.isInteger(kNum) && kNum >= 1;
  return (
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
          void search.find();
        }}
      >
        <label htmlFor={searchId}>Find a {subject}</label>{' '}
        <input id={searchId} type="search" value={search.text} onChange={(e) => search.setText(e.target.value)} /> <button type="submit">Open</button>
      </form>
    </div>
  );
}

/** The devices whose id contains the text searched for, as links (or a word when none does). */
function SearchMatches({
  matches,
  text,
  subject,
  deviceHref,
}: {
  matches: string[];
  text: string;
  subject: string;
  deviceHref: (id: string) => string;
}) {
  return (
    <p role="status">
      {matches.length === 0 ? `No ${subject} id contains "${text}".` : 'Matching: '}
      {matches.map((m, i) => (
        <span key={m}>
          {i > 0 && ', '}
          <a href={deviceHref(m)}>{m}</a>
        </span>
      ))}
    </p>
  );
}

const NONE_SILENT: DayList['silent'] = [];

/**
 * The devices with no reading on the day whose last one is older than the log's gap allows.
 * A year's log can have a thousand of them, most of the page's elements: their items are written
 * in a render of their own after the day's list is shown (a deferred value, time-sliced by
 * React), not in the list's, and not again when the ranking panel renders for anything else.
 */
const SilentDevices = memo(function SilentDevices({
  list,
  summary,
  subject,
  deviceHref,
}: {
  list: DayList;
  summary: FleetSummary;
  subject: string;
  deviceHref: (id: string) => string;
}) {
  const silent = useDeferredValue(list.silent, NONE_SILENT);
  return (
    <details data-testid="fleet-silent">
      <summary>
        {countOf(list.silent.length, `${subject} has`, `${subject}s have`)} stopped reporting (no reading on {formatIsoDay(list.day)}, the last more
        than {countOf(summary.gaps?.longerThan ?? 0, 'day')} before)
      </summary>
      <ul aria-label={`${subject}s that stopped reporting`} aria-busy={silent !== list.silent}>
        {silent.map((d) => (
          <li key={d.entity}>
            <a href={deviceHref(d.entity)}>{d.entity}</a>: last seen {formatIsoDay(d.lastDay)}, {countOf(d.daysSince, 'day')} before
          </li>
        ))}
      </ul>
    </details>
  );
});

/** The switch that shows the devices held back after an inspection, and those devices with why. */
function HeldBack(props: {
  list: DayList;
  subject: string;
  showHeld: boolean;
  setShowHeld: (on: boolean) => void;
  deviceHref: (id: string) => string;
  holdText: ((d: RankedDevice) => string) | undefined;
}) {
  const { list, subject, showHeld } = props;
  const heldId = useId();
  return (
    <>
      {list.held > 0 && (
        <p>
          <input id={heldId} type="checkbox" checked={showHeld} onChange={(e) => props.setShowHeld(e.target.checked)} />{' '}
          <label htmlFor={heldId}>Show the {subject}s held back</label>
        </p>
      )}
      {showHeld && list.devices.some((d) => d.hold) && (
        <ul aria-label={`Held back ${subject}s`}>
          {list.devices
            .filter((d) => d.hold)
            .map((d) => (
              <li key={d.entity}>
                <a href={props.deviceHref(d.entity)}>{d.entity}</a>: {props.holdText!(d)}
              </li>
            ))}
        </ul>
      )}
    </>
  );
}

/** The downloads: the ranking, every scored row, and work orders for the chosen devices. */
function RankingDownloads(props: {
  domain: string;
  list: DayList | null;
  chosen: ReadonlySet<string>;
  model: { id: string; version: string };
  onDownload: (kind: 'ranking' | 'rows') => void;
}) {
  const { domain, list, chosen, model } = props;
  const chosenRows: RankedDevice[] = list ? list.devices.filter((d) => chosen.has(d.entity)) : [];
  return (
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
            new Blob([workOrdersCsv(chosenRows, { day: list.day, total: list.total, modelId: model.id, modelVersion: model.version })], {
              type: 'text/csv',
            }),
            `${domain}-work-orders-${formatIsoDay(list.day)}.csv`,
          )
        }
      >
        Download work orders for the {chosenRows.length || ''} chosen (CSV)
      </button>
    </div>
  );
}
