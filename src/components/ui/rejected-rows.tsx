import type { CellError } from '@/domain/csv/rows';
import { countOf } from '@/domain/words';
import { fmtInt } from './format';

/**
 * The rows a file's reader rejected, as one table in every view that reads files (batch,
 * fleet): line, column, value and the problem in words. Open while the list is short.
 */
export function RejectedRows({ errors, count, truncated }: { errors: readonly CellError[]; count: number; truncated: boolean }) {
  if (errors.length === 0) return null;
  return (
    <details open={errors.length <= 20}>
      <summary>
        Rejected rows: {fmtInt(count)}
        {truncated ? ` (first ${countOf(errors.length, 'problem')} listed)` : ''}
      </summary>
      <table className="table" aria-label="Rejected rows">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td>{e.line}</td>
              <td>{e.column || '(row)'}</td>
              <td>
                <code>{e.value}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
