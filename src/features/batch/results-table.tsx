import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import { fmtInt, riskPct } from '@/components/ui/format';
import { evidenceColumns, nearestRow, type Evidence } from '@/domain/evidence';
import type { ModelEntry } from '@/domain/manifest';
import { isPositive } from '@/domain/model-list';
import { countOf } from '@/domain/words';
import type { BatchRows } from '@/inference/client';
import type { BatchHeader } from './use-batch-run';

const pc = (p: number) => `${Math.round(p * 1000) / 10}`;

/** One row's similar cases and its risk's interval, short: "4 of 40 died; 95 % 4–23 %". */
function similarCell(e: Evidence, p: number): string {
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  return `${r.events} of ${r.n} ${e.event}; 95 % ${pc(r.low)}–${pc(r.high)} %`;
}

/** Fixed row height: the virtualiser never measures a row. */
const rowHeight = () => 30;

/**
 * The first `count` rows of the store (it grows while this shows a snapshot), virtualised;
 * memoised so that a render that leaves `count` alone skips it.
 */
export const ResultsTable = memo(function ResultsTable({
  rows,
  count,
  running,
  header,
  model,
}: {
  rows: BatchRows;
  count: number;
  running: boolean;
  header: BatchHeader;
  model: ModelEntry;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the rows re-render with the table; nothing memoises the virtualizer
  const virtualizer = useVirtualizer({ count, getScrollElement: () => parentRef.current, estimateSize: rowHeight, overscan: 10 });
  const cols = header.columns;
  const e = model.evidence;
  const template = `7rem 8rem ${e ? '13rem ' : ''}5rem repeat(${cols.length}, minmax(6rem, 1fr))`;
  return (
    <section className="panel" aria-labelledby="rows-title">
      <h2 id="rows-title">
        Scored rows (
        {running
          ? `the first ${fmtInt(count)} while scoring`
          : count < rows.length
            ? `the first ${fmtInt(count)} of ${fmtInt(rows.length)}; the download has every row`
            : fmtInt(count)}
        )
      </h2>
      <p className="small" data-testid="batch-model-version">
        Scored by <code>{model.id}</code> version {model.version}; the download names it on every row.
      </p>
      {e && (
        <p className="small" data-testid="batch-similar-note">
          Similar {e.units}: of the study&apos;s {e.units} whose out-of-fold risk was within {Math.round(e.similar.band * 100)} points of the
          row&apos;s, how many {e.event}, with the Wilson 95 % interval, which is also the interval of the row&apos;s risk. {e.interval?.sentence} The
          download has them as {evidenceColumns.join(', ')}.
        </p>
      )}
      {header.columnCount > cols.length && (
        <p className="muted" data-testid="columns-cut">
          The file has {countOf(header.columnCount, 'column')}: the table shows the first {fmtInt(cols.length)}; the download has every column.
        </p>
      )}
      {count > rows.cellsKept && (
        <p className="muted">Input columns are shown for the first {fmtInt(rows.cellsKept)} rows; the download has every row.</p>
      )}
      <div role="table" aria-label="Scored rows" aria-rowcount={count + 1} className="vtable">
        <ResultsHeaderRow template={template} evidence={e} columns={cols} />
        <div ref={parentRef} className="vbody" role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => (
              <ResultRow key={v.key} rows={rows} index={v.index} start={v.start} template={template} model={model} columns={cols} />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
});

/** The table's header row: the probability, the class, the similar cases when the model has them, the line, and the file's columns. */
function ResultsHeaderRow({ template, evidence: e, columns }: { template: string; evidence: Evidence | undefined; columns: readonly string[] }) {
  return (
    <div role="row" className="vrow vhead" style={{ gridTemplateColumns: template }}>
      <span role="columnheader">probability</span>
      <span role="columnheader">class</span>
      {e && (
        <span role="columnheader" title={`Of the study's ${e.units} whose out-of-fold risk was within ${Math.round(e.similar.band * 100)} points`}>
          similar {e.units} (interval)
        </span>
      )}
      <span role="columnheader">line</span>
      {columns.map((c, i) => (
        <span role="columnheader" key={i}>
          {c}
        </span>
      ))}
    </div>
  );
}

/** One scored row, placed at its offset in the virtualised body. */
function ResultRow({
  rows,
  index,
  start,
  template,
  model,
  columns,
}: {
  rows: BatchRows;
  index: number;
  start: number;
  template: string;
  model: ModelEntry;
  columns: readonly string[];
}) {
  const e = model.evidence;
  const r = rows.row(index);
  const pos = isPositive(r.p1, model.threshold);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={`vrow${pos ? ' vrow-pos' : ''}`}
      style={{ gridTemplateColumns: template, transform: `translateY(${start}px)` }}
    >
      <span role="cell">{riskPct(r.p1)}</span>
      <span role="cell">{model.class_labels[pos ? 1 : 0]}</span>
      {e && <span role="cell">{similarCell(e, r.p1)}</span>}
      <span role="cell">{r.line}</span>
      {columns.map((_, i) => (
        <span role="cell" key={i}>
          {r.cells ? r.cells[i] : '…'}
        </span>
      ))}
    </div>
  );
}
