import type { DomainId } from '@/domain/manifest';

export function BatchView({ domain }: { domain: DomainId }) {
  return (
    <section className="panel">
      <h1>{domain === 'heart' ? 'Patient' : 'Device'} batch</h1>
      <p>Batch scoring of CSV files is being built.</p>
    </section>
  );
}
