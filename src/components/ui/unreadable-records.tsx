import { fmtInt } from './format';
import { saveBlob } from './save-file';

/**
 * Kept records that could not be read (an older format, a damaged entry), named with their
 * problem: kept until the user deletes them one by one or exports them as they are.
 */
export function UnreadableRecords({
  records,
  noun,
  onDelete,
  exportName,
  testId,
}: {
  records: readonly { key: string; problem: string; raw: unknown }[];
  /** "record", "inspection record" */
  noun: string;
  onDelete: (key: string) => void;
  exportName: string;
  testId?: string;
}) {
  if (records.length === 0) return null;
  const one = records.length === 1;
  return (
    <div role="alert" data-testid={testId}>
      <p className="field-error">
        {fmtInt(records.length)} kept {one ? `${noun} could` : `${noun}s could`} not be read (an older format or a damaged entry).{' '}
        {one ? 'It is' : 'They are'} kept until you delete or export {one ? 'it' : 'them'}.
      </p>
      <ul>
        {records.map((u) => (
          <li key={u.key}>
            <code>{u.key}</code>: {u.problem}{' '}
            <button type="button" className="secondary" onClick={() => onDelete(u.key)}>
              Delete this record
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="secondary"
        onClick={() => saveBlob(new Blob([JSON.stringify(records, null, 2)], { type: 'application/json' }), exportName)}
      >
        Export them as they are (JSON)
      </button>
    </div>
  );
}
