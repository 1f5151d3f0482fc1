import type { DomainSpec } from '@/domain/domain-spec';
import type { RecordReading } from '@/domain/fhir/read';

/** Where each value of the form came from: code, date and resource, old values flagged, blanks explained. */
export function RecordSources({ domain, reading, from }: { domain: DomainSpec; reading: RecordReading; from: string }) {
  const rows = domain.fields.filter((f) => reading.fields[f.name]);
  return (
    <section className="record-sources" aria-labelledby={`${domain.id}-sources-title`} data-testid="record-sources">
      <h2 id={`${domain.id}-sources-title`}>
        Read from {from}
        {reading.patient ? ` (${reading.patient})` : ''}
      </h2>
      <p className="muted small">Check the values below before you predict; any of them can be changed in the form.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">As recorded</th>
            <th scope="col">Code</th>
            <th scope="col">Date</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => {
            const r = reading.fields[f.name]!;
            return (
              <tr key={f.name} data-testid={`source-${f.name}`} className={r.value === undefined ? 'blank' : r.stale ? 'stale' : undefined}>
                <th scope="row">{f.label}</th>
                <td>
                  {r.value === undefined ? <strong>Blank: </strong> : r.stale ? <strong>Old: </strong> : null}
                  {r.note}
                </td>
                <td>{r.code ?? '—'}</td>
                <td>{r.date ?? '—'}</td>
                <td>{r.source ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {reading.notes.map((n) => (
        <p key={n} className="muted small">
          {n}
        </p>
      ))}
    </section>
  );
}
