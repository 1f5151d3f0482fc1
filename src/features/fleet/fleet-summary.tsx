import { fmtInt } from '@/components/ui/format';
import { RejectedRows } from '@/components/ui/rejected-rows';
import { formatIsoDay } from '@/domain/history';
import { countOf } from '@/domain/words';
import type { BatchRowError, FleetSummary } from '@/inference/client';

/** The counts of a loaded log, which add up, the duplicate rule, and the rows set aside or rejected. */
export function FleetSummaryPanel({ summary, errors, subject }: { summary: FleetSummary; errors: BatchRowError[]; subject: string }) {
  const s = summary;
  const c = s.columns;
  const range = s.firstDay !== null && s.lastDay !== null ? `${formatIsoDay(s.firstDay)} to ${formatIsoDay(s.lastDay)}` : 'no dates';
  return (
    <div data-testid="fleet-summary">
      <p>
        <strong data-testid="fleet-rows-read">{countOf(s.rowsRead, 'row')} read</strong> ={' '}
        <span data-testid="fleet-rows-kept">{fmtInt(s.rowsKept)} kept</span> +{' '}
        <span data-testid="fleet-rows-rejected">{fmtInt(s.rowsRejected)} rejected</span> +{' '}
        <span data-testid="fleet-rows-duplicates">{countOf(s.duplicates, 'duplicate set aside', 'duplicates set aside')}</span>.{' '}
        <span data-testid="fleet-devices">{countOf(s.devices, subject)}</span>, {countOf(s.days, 'day')} ({range})
        {s.hasLabel && (
          <>
            , <span data-testid="fleet-summary-failures">{countOf(s.failures, 'failure')}</span> in <code>{c.label}</code>
          </>
        )}
        .
        {s.gaps && (
          <span data-testid="fleet-gaps">
            {' '}
            {countOf(s.gaps.devices, subject)} {s.gaps.devices === 1 ? 'has' : 'have'} a gap of more than {countOf(s.gaps.longerThan, 'day')} without
            a reading.
          </span>
        )}{' '}
        Read and scored in {(s.timings.totalMs / 1000).toFixed(2)} s, in this browser.
      </p>
      <p className="muted small">
        Rows may come in any order: each {subject}&apos;s readings are sorted by <code>{c.date}</code>. Two rows for the same {subject} and date: the
        one later in the file is kept and the earlier one set aside (a corrected re-export appended to a log replaces what it corrects). Dates must be
        ISO (YYYY-MM-DD) real calendar dates; any other is rejected, never guessed.
      </p>
      <RejectedRows errors={errors} count={s.rowsRejected} truncated={errors.length < s.rowsRejected} />
      {s.duplicateList.length > 0 && (
        <details>
          <summary>Duplicates set aside ({fmtInt(s.duplicates)})</summary>
          <ul className="small" aria-label="Duplicates set aside">
            {s.duplicateList.slice(0, 200).map((d) => (
              <li key={d.line}>
                Line {d.line} ({d.entity}, {formatIsoDay(d.day)}) set aside: line {d.keptLine} gives the same {subject} and date later in the file.
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
