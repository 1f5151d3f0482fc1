import { fmtInt } from '@/components/ui/format';
import { JobStopped } from '@/components/ui/job-stopped';
import { countOf } from '@/domain/words';
import type { FleetRun } from './use-fleet-run';

/** Where a log's run stands: its progress (with Cancel), or why it stopped, in words. */
export function FleetRunStatus({ run, onCancel }: { run: FleetRun; onCancel: () => void }) {
  const progress = run.phase === 'running' ? run.progress : null;
  return (
    <>
      {run.phase === 'running' && (
        <div className="progress-block" role="status">
          <progress className="progress" max={progress?.totalBytes || 1} value={progress?.bytesRead ?? 0} />
          <span>
            {progress?.stage === 'scoring'
              ? `Scoring ${countOf(progress.rowsScored, 'reading')}…`
              : `Reading: ${countOf(progress?.rowsRead ?? 0, 'row')}, ${fmtInt(progress?.rowsRejected ?? 0)} rejected…`}
          </span>
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
      <JobStopped run={run} failedLead="The log could not be scored" />
      {run.phase === 'stopped' && (
        <p role="alert">
          {run.status === 'cancelled' ? 'Cancelled: load the file again to rank it.' : `The file could not be read: ${run.message ?? ''}`}
        </p>
      )}
    </>
  );
}
