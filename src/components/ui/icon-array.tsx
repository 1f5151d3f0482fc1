/**
 * An icon array: 100 people in a 10 x 10 grid, the first `filled` of them marked. One image to
 * assistive technology, named by `label` (the sentence beside it says the same in full).
 * Drawn in SVG so that it prints as it shows.
 */
export function IconArray({ filled, label, size = 150 }: { filled: number; label: string; size?: number }) {
  const n = Math.max(0, Math.min(100, Math.round(filled)));
  const people = Array.from({ length: 100 }, (_, i) => i);
  return (
    <svg className="icon-array" role="img" aria-label={label} viewBox="0 0 100 100" width={size} height={size} data-filled={n}>
      {people.map((i) => {
        const x = (i % 10) * 10 + 5;
        const y = Math.floor(i / 10) * 10;
        const on = i < n;
        return (
          <g key={i} className={on ? 'icon-on' : 'icon-off'} fill={on ? 'var(--icon-on, #b42318)' : 'var(--icon-off, #c8ccd2)'}>
            <circle cx={x} cy={y + 2.6} r={1.9} />
            <path d={`M${x - 3} ${y + 9.2} Q${x - 3} ${y + 4.8} ${x} ${y + 4.8} Q${x + 3} ${y + 4.8} ${x + 3} ${y + 9.2} Z`} />
          </g>
        );
      })}
    </svg>
  );
}
