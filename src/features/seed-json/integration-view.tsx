import { domainList } from '@/domain/domains';
import { SeedJsonPanel } from './seed-json-panel';

/**
 * For developers moving off the replaced services: each domain that declares a
 * `seed_service` gets its seed-compatible JSON panel here, with its sample request.
 * Kept out of the clinician's form.
 */
export function IntegrationView() {
  const withSeed = domainList.filter((d) => d.seed);
  return (
    <div className="integration">
      <section className="panel" aria-labelledby="integration-title">
        <h1 id="integration-title">Integration: seed-compatible JSON</h1>
        <p className="lede">
          Prognos replaces {withSeed.length === 1 ? 'a service' : `${withSeed.length} services`} that answered <code>POST /predict</code>. Paste a
          request body as that service received it; the response comes back in its shape, computed in this browser. The sample requests are the ones
          the replaced services documented.
        </p>
      </section>
      {withSeed.map((d) => (
        <SeedJsonPanel key={d.id} domain={d.id} />
      ))}
    </div>
  );
}
