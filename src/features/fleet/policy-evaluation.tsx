import { fmtInt } from '@/components/ui/format';
import type { PolicyResult } from '@/domain/fleet-policy';
import type { InspectionSpec } from '@/domain/inspections';
import { countOf } from '@/domain/words';

/**
 * The inspection policy simulated on the user's labelled log, for their K and H, beside the list
 * without memory: the same simulation as the model card's out-of-fold table (fleet-policy.ts).
 */
export function PolicyEvaluation({ rows, spec, subject }: { rows: readonly PolicyResult[]; spec: InspectionSpec; subject: string }) {
  const [none, held] = rows;
  if (!none || !held) return null;
  const line = (r: PolicyResult) =>
    `${fmtInt(r.caught)} of ${countOf(r.failures, 'failure')} caught with ${countOf(r.inspections, 'inspection')} (${r.caughtPer100.toFixed(2)} per 100)`;
  return (
    <section className="panel" aria-labelledby="policy-eval-title" data-testid="policy-evaluation">
      <h2 id="policy-eval-title">Inspections on this log</h2>
      <p>
        Inspecting the {fmtInt(none.k)} highest-risk {subject}s each day over this whole log: without hold-back, {line(none)}; holding a {subject}{' '}
        back {fmtInt(held.holdDays)} days after an inspection that found nothing, {line(held)}.
      </p>
      <p className="muted">
        Assumed, as on the model card: an inspection finds a fault that would make the {subject} fail within {spec.coverDays} days, and a held-back{' '}
        {subject} whose risk reaches {spec.riseFactor} times its risk at the inspection comes back early. The log&apos;s own probabilities are
        in-sample when the model was trained on this log.
      </p>
    </section>
  );
}
