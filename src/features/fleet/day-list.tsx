import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, useState, useSyncExternalStore } from 'react';
import { fmtInt, num, riskPct } from '@/components/ui/format';
import type { DayList, RankedDevice } from '@/domain/fleet-rank';
import { countOf, noun } from '@/domain/words';
import { moverText } from './movers';

const rowHeight = () => 32;

/** Below this width the list shows rank, device, risk and "inspect" only; the other columns are one tap away. */
const PHONE = '(max-width: 600px)';

function usePhone(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const m = window.matchMedia(PHONE);
      m.addEventListener('change', notify);
      return () => m.removeEventListener('change', notify);
    },
    () => window.matchMedia(PHONE).matches,
    () => false,
  );
}

/** A day's devices by risk, virtualised (a fleet may hold thousands); the top K and the flagged marked. */
export const DayListTable = memo(function DayListTable({
  list,
  subject,
  deviceHref,
  showHeld = true,
  chosen,
  onChoose,
  holdText,
}: {
  list: DayList;
  subject: string;
  deviceHref: (id: string) => string;
  /** List the devices held back after an inspection (with why), or leave them out. */
  showHeld?: boolean;
  /** Devices chosen for work orders and inspections (a last column of checkboxes when given). */
  chosen?: ReadonlySet<string>;
  onChoose?: (entity: string, on: boolean) => void;
  /** Why a device is held back (or back early), in words. */
  holdText?: (d: RankedDevice) => string;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const devices = showHeld ? list.devices : list.devices.filter((d) => !d.hold?.held);
  const count = devices.length;
  // eslint-disable-next-line react-hooks/incompatible-library -- the list re-renders with its own state; nothing memoises the virtualizer
  const virtualizer = useVirtualizer({ count, getScrollElement: () => parentRef.current, estimateSize: rowHeight, overscan: 10 });
  const phone = usePhone();
  const [allColumns, setAllColumns] = useState(false);
  const all = !phone || allColumns;
  const template = all
    ? `4rem minmax(8rem, 1fr) 7rem 8rem 7rem minmax(14rem, 2fr)${onChoose ? ' 5rem' : ''}`
    : '2.5rem minmax(5rem, 1fr) 3.5rem 7rem';
  return (
    <>
      {phone && (
        <p>
          <button type="button" className="secondary" aria-pressed={allColumns} onClick={() => setAllColumns((x) => !x)}>
            {allColumns ? 'Show fewer columns' : 'Show all columns (days flagged, moved most, choose)'}
          </button>
        </p>
      )}
      <div role="table" aria-label={`Ranked ${subject}s`} aria-rowcount={devices.length + 1} className="vtable">
        <DayListHeaderRow template={template} subject={subject} all={all} choosing={!!onChoose} />
        <div ref={parentRef} className="vbody" role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => (
              <DayListRow
                key={v.key}
                d={devices[v.index]!}
                index={v.index}
                start={v.start}
                {...{ template, all, deviceHref, holdText, chosen, onChoose }}
                k={list.k}
              />
            ))}
          </div>
        </div>
      </div>
    </>
  );
});

/** The list's header row: rank, device, risk and "inspect", and the other columns when all are shown. */
function DayListHeaderRow({ template, subject, all, choosing }: { template: string; subject: string; all: boolean; choosing: boolean }) {
  return (
    <div role="row" className="vrow vhead" style={{ gridTemplateColumns: template }}>
      <span role="columnheader">rank</span>
      <span role="columnheader">{subject}</span>
      <span role="columnheader">{all ? 'P(failure)' : 'risk'}</span>
      <span role="columnheader">inspect</span>
      {all && <span role="columnheader">days flagged</span>}
      {all && <span role="columnheader">moved most (vs training p99)</span>}
      {all && choosing && <span role="columnheader">choose</span>}
    </div>
  );
}

/** One device's row, placed at its offset in the virtualised body. */
function DayListRow({
  d,
  index,
  start,
  template,
  k,
  all,
  deviceHref,
  holdText,
  chosen,
  onChoose,
}: {
  d: RankedDevice;
  index: number;
  start: number;
  template: string;
  k: number;
  all: boolean;
  deviceHref: (id: string) => string;
  holdText?: (d: RankedDevice) => string;
  chosen?: ReadonlySet<string>;
  onChoose?: (entity: string, on: boolean) => void;
}) {
  const held = d.hold?.held === true;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={`vrow${d.inTopK ? ' row-topk' : ''}${d.aboveThreshold ? ' vrow-pos' : ''}${held ? ' row-held' : ''}`}
      style={{ gridTemplateColumns: template, transform: `translateY(${start}px)` }}
    >
      <span role="cell">{held ? '–' : d.rank}</span>
      <span role="cell">
        <a href={deviceHref(d.entity)}>{d.entity}</a>
      </span>
      <span role="cell">{riskPct(d.p1)}</span>
      <span role="cell" title={d.hold && holdText ? holdText(d) : undefined}>
        {held ? 'held back' : d.inTopK ? `top ${k}` : d.aboveThreshold ? 'above threshold' : ''}
        {d.hold && holdText && <span className="sr-only">: {holdText(d)}</span>}
      </span>
      {all && <span role="cell">{d.streak > 0 ? countOf(d.streak, 'day') : ''}</span>}
      {all && (
        <span role="cell" title={d.movers.map((m) => `${moverText(m)} (${num(m.ratio, 1)} x p99)`).join('; ')}>
          {d.movers.map((m) => `${moverText(m)} (${num(m.ratio, 1)}×)`).join(', ')}
        </span>
      )}
      {all && onChoose && (
        <span role="cell">
          <input
            type="checkbox"
            aria-label={`Choose ${d.entity}`}
            checked={chosen?.has(d.entity) ?? false}
            onChange={(e) => onChoose(d.entity, e.target.checked)}
          />
        </span>
      )}
    </div>
  );
}

export function DayListHeading({ list, subject }: { list: DayList; subject: string }) {
  const inTop = Math.min(list.k, list.total);
  return (
    <p data-testid="fleet-day-heading">
      {countOf(list.total, subject)} reported that day
      {list.devices.length < list.total ? ` (the ${fmtInt(list.devices.length)} highest listed here; the ranking download has all)` : ''}. Inspect the
      top {fmtInt(inTop)} (your capacity); {fmtInt(list.aboveThreshold)} {noun(list.aboveThreshold, 'is', 'are')} above the model card&apos;s
      threshold of {riskPct(list.threshold)}.{' '}
      <span data-testid="fleet-flag-rule">
        {list.flagRule === 'threshold'
          ? `Flagged means above the threshold: with ${countOf(list.total, subject)}, no more than your capacity, the top ${fmtInt(list.k)} alone flags nothing.`
          : `Flagged means above the threshold or in the top ${fmtInt(list.k)}.`}
      </span>
      {list.aboveThreshold > list.k && ' More devices are above the threshold than you can inspect: the ranking says which first.'}
      {list.held > 0 &&
        ` ${fmtInt(list.held)} ${noun(list.held, `${subject} is`, `${subject}s are`)} held back after an inspection that found nothing, and not ranked.`}
    </p>
  );
}
