import { fmtInt } from '@/components/ui/format';
import { countOf } from '@/domain/words';
import type { BatchProgress } from '@/inference/client';
import { rates } from './rates';

/** The progress bar and rates while a file is scored; the bar is full once it has finished. */
export function ProgressBlock({ progress, running, onCancel }: { progress: BatchProgress | null; running: boolean; onCancel: () => void }) {
  const r = progress ? rates(progress) : null;
  const fraction = progress && progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0;
  return (
    <div className="progress-block">
      <progress className="progress" max={1} value={running ? fraction : 1} aria-label="Scoring progress" />
      <p>
        {progress ? `${countOf(progress.rowsRead, 'row')} read` : 'Starting…'}
        {r && r.rowsPerSecond > 0 ? ` · ${fmtInt(Math.round(r.rowsPerSecond))} rows/s` : ''}
        {running && r?.secondsLeft != null ? ` · about ${r.secondsLeft.toFixed(1)} s left` : ''}
      </p>
      {running && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
