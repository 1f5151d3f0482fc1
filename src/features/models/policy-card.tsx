import { fmtInt } from '@/components/ui/format';
import type { ModelCard } from '@/domain/manifest';

/**
 * What holding inspected devices back buys, as training simulated it out of fold
 * (manifest `fleet.policy`, training/prognos_train/policy.py). Shown for any model whose entry
 * carries the table.
 */
export function PolicyCard({ model }: { model: ModelCard }) {
  const policy = model.fleet?.policy;
  if (!policy) return null;
  const failures = policy.rows[0]?.failures ?? 0;
  const ks = [...new Set(policy.rows.map((r) => r.k))];
  return (
    <section aria-labelledby={`policy-${model.id}`}>
      <h3 id={`policy-${model.id}`}>Inspections and hold-back</h3>
      <p>
        Each day the team inspects the K highest-risk devices reporting that day. Assumed: an inspection finds a fault that would make the device fail
        within {policy.cover_days} days; one that finds nothing holds the device back for H days, unless its risk reaches {policy.rise_factor} times
        its risk on the inspection day. H = 0 is the list without memory. Figures from the {policy.probabilities}; the assumption about what an
        inspection finds is not measured, and a real inspection can miss a fault. H and the factor were fixed in advance, not tuned on these folds.
      </p>
      <table className="table">
        <caption>Failures caught of {fmtInt(failures)}, inspections spent, and failures caught per 100 inspections, out of fold</caption>
        <thead>
          <tr>
            <th scope="col">Inspections a day (K)</th>
            <th scope="col">Hold-back (H)</th>
            <th scope="col">Failures caught</th>
            <th scope="col">Inspections</th>
            <th scope="col">Caught per 100</th>
          </tr>
        </thead>
        <tbody>
          {ks.flatMap((k) =>
            policy.rows
              .filter((r) => r.k === k)
              .map((r) => (
                <tr key={`${k}-${r.hold_days}`}>
                  <th scope="row">{k}</th>
                  <td>{r.hold_days === 0 ? 'none' : `${r.hold_days} days`}</td>
                  <td>
                    {fmtInt(r.caught)} of {fmtInt(r.failures)}
                  </td>
                  <td>{fmtInt(r.inspections)}</td>
                  <td>{r.caught_per_100_inspections.toFixed(2)}</td>
                </tr>
              )),
          )}
        </tbody>
      </table>
    </section>
  );
}
