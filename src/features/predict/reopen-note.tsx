import { riskPct } from '@/components/ui/format';
import type { SavedPrediction } from '@/domain/saved-prediction';
import type { ModelOutcome } from './prediction-state';

/** Above a result re-opened from the saved predictions: what was stored, and whether the model changed since. */
export function ReopenNote({ record, outcomes }: { record: SavedPrediction; outcomes: readonly ModelOutcome[] }) {
  const now = outcomes.find((o) => o.model.id === record.model.id);
  const changed = now && (now.model.version !== record.model.version || now.model.sha256 !== record.model.sha256);
  const when = new Date(record.created).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="banner" role="status" data-testid="reopen-note">
      <p>
        Re-opened from the history: {record.reference ? <strong>{record.reference}</strong> : 'no reference'}, {when}. Stored then:{' '}
        {riskPct(record.probability)} ({record.class}) with <code>{record.model.id}</code> version {record.model.version}.
      </p>
      {record.evidence && record.evidence.length > 0 && (
        <div data-testid="reopen-evidence">
          <p>Shown beside it then:</p>
          <ul>
            {record.evidence.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {!now && <p>That model is no longer shipped; the values are in the form.</p>}
      {changed && now.skipped === undefined && (
        <p data-testid="model-changed-note">
          The model has changed since (now version {now.model.version}): the new probability is <strong>{riskPct(now.p1)}</strong>, beside the stored{' '}
          {riskPct(record.probability)}.
        </p>
      )}
    </div>
  );
}
