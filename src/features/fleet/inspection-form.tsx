import { useId, useState } from 'react';
import { errorMessage } from '@/domain/errors';
import { formatIsoDay, parseIsoDay } from '@/domain/history';
import type { InspectionSpec } from '@/domain/inspections';
import { addInspections } from '@/storage/inspection-store';

/**
 * Record an inspection of one device (its page) or of the devices chosen on the list: date,
 * outcome, note. Kept in this browser; the list applies the hold-back rule from then on.
 */
export function InspectionForm({
  domain,
  spec,
  devices,
  defaultDay,
  subject,
}: {
  domain: string;
  spec: InspectionSpec;
  devices: readonly string[];
  defaultDay: number | null;
  subject: string;
}) {
  const id = useId();
  const [date, setDate] = useState(defaultDay !== null ? formatIsoDay(defaultDay) : '');
  const [outcome, setOutcome] = useState(spec.outcomes[0]!.id);
  const [note, setNote] = useState('');
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const day = parseIsoDay(date);

  async function record() {
    if (devices.length === 0 || day === null) return;
    try {
      await addInspections(
        domain,
        devices.map((entity) => ({ entity, day, outcome, note: note.trim() })),
      );
      const label = spec.outcomes.find((o) => o.id === outcome)!.label.toLowerCase();
      setSaid({ ok: true, text: `Recorded: ${devices.length === 1 ? devices[0] : `${devices.length} ${subject}s`} inspected ${date}, ${label}.` });
      setNote('');
    } catch (e) {
      setSaid({ ok: false, text: `The inspection could not be kept: ${errorMessage(e)}` });
    }
  }

  return (
    <form
      className="inspection-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void record();
      }}
    >
      <h3 id={`${id}-title`}>
        Record an inspection{devices.length === 1 ? ` of ${devices[0]}` : devices.length > 1 ? ` of ${devices.length} ${subject}s` : ''}
      </h3>
      {devices.length === 0 && <p className="muted">Choose {subject}s on the list first.</p>}
      <label htmlFor={`${id}-date`}>Inspection date</label>{' '}
      <input id={`${id}-date`} type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-invalid={day === null} required />{' '}
      <label htmlFor={`${id}-outcome`}>Outcome</label>{' '}
      <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
        {spec.outcomes.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>{' '}
      <label htmlFor={`${id}-note`}>Note</label> <input id={`${id}-note`} type="text" value={note} onChange={(e) => setNote(e.target.value)} />{' '}
      <button type="submit" disabled={devices.length === 0 || day === null}>
        Record inspection
      </button>
      {day === null && <span className="field-error"> Enter the inspection date (YYYY-MM-DD).</span>}
      {said && (
        <p role={said.ok ? 'status' : 'alert'} className={said.ok ? undefined : 'field-error'}>
          {said.text}
        </p>
      )}
    </form>
  );
}
