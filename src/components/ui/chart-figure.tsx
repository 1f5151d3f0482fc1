import { useId, type ReactNode } from 'react';

/** A chart's data as a table, for screen readers (the chart itself is one image to them). */
export interface ChartTable {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

/**
 * A chart as assistive technology should meet it: one image with a name that says what it
 * shows (the SVG inside is presentational), plus, where the page has no table of the same
 * figures, a visually hidden table of them. recharts' own keyboard layer is turned off by the
 * charts (accessibilityLayer={false}): it announced each chart as an unnamed "application".
 */
export function ChartFigure({
  caption,
  label,
  tables = [],
  children,
}: {
  /** Visible caption; null when the surrounding section's heading already says it. */
  caption: ReactNode;
  /** The image's accessible name: what the chart shows, in words. */
  label: string;
  tables?: ChartTable[];
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={caption ? `${id}-caption` : undefined}>
      {caption && <figcaption id={`${id}-caption`}>{caption}</figcaption>}
      <div role="img" aria-label={label} className="chart-image">
        {/* The drawing itself says nothing more to a screen reader than the name above. */}
        <div aria-hidden="true">{children}</div>
      </div>
      {tables.map((t) => (
        <table key={t.caption} className="sr-only">
          <caption>{t.caption}</caption>
          <thead>
            <tr>
              {t.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r, i) => (
              <tr key={i}>
                {r.map((v, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {v}
                    </th>
                  ) : (
                    <td key={j}>{v}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </figure>
  );
}
