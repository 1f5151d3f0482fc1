import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { compactTicks, fmtInt } from '@/components/ui/format';
import { thresholdCrossings, type DeviceTimeline } from '@/domain/fleet-report';
import { formatIsoDay } from '@/domain/history';

const dateTick = (d: unknown) => formatIsoDay(Number(d));
/** Wide enough for a compact tick ("220M", "-1.5K") at the tick font size: no label is cut. */
const Y_WIDTH = 48;
/** Room on either side for half a date label ("2015-01-20") centred on the first and last ticks. */
const X_MARGIN = 36;

/**
 * One small chart per counter, each on its own scale (a counter in the hundreds of millions
 * and one in the tens are both readable), all on the same time axis, with the days the risk
 * crossed the threshold (dashed) and the failure days (solid) marked. The figures themselves
 * are in the table of readings below the charts.
 */
export function CounterPanels({ t }: { t: DeviceTimeline }) {
  const first = t.days[0]!;
  const last = t.days[t.days.length - 1]!;
  const crossings = useMemo(() => thresholdCrossings(t), [t]);
  const failures = useMemo(() => t.days.filter((_, i) => t.label[i] === 1), [t]);
  const ticks = first === last ? [first] : [first, Math.round((first + last) / 2), last];
  const series = useMemo(() => t.inputs.map((_, j) => t.days.map((d, i) => ({ day: d, v: t.values[i]![j]! }))), [t]);
  const marks = [
    crossings.length > 0 ? `risk crossed the threshold on ${crossings.map(formatIsoDay).join(', ')} (dashed)` : null,
    failures.length > 0 ? `failure on ${failures.map(formatIsoDay).join(', ')} (solid)` : null,
  ].filter(Boolean);
  return (
    <figure className="chart counter-figure" aria-label={`Counters of ${t.entity} over time`}>
      <figcaption>
        Counters over time, each on its own scale, from {formatIsoDay(first)} to {formatIsoDay(last)}
        {marks.length > 0 ? `: ${marks.join('; ')}` : ''}. Every figure is in the table of readings below.
      </figcaption>
      <div className="counter-panels">
        {t.inputs.map((name, j) => {
          const values = series[j]!;
          const lo = Math.min(...values.map((x) => x.v));
          const hi = Math.max(...values.map((x) => x.v));
          const ticksOf = compactTicks(lo, hi);
          return (
            <div className="counter-panel" key={name} data-testid="counter-panel">
              <p className="counter-name">
                <strong>{name}</strong> <span className="muted">{lo === hi ? `constant at ${fmtInt(lo)}` : `${fmtInt(lo)} to ${fmtInt(hi)}`}</span>
              </p>
              <ResponsiveContainer width="100%" height={120}>
                <LineChart data={values} margin={{ left: 0, right: X_MARGIN, top: 6, bottom: 0 }} syncId={`counters-${t.entity}`}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" type="number" domain={[first, last]} ticks={ticks} tickFormatter={dateTick} tick={{ fontSize: 11 }} />
                  <YAxis width={Y_WIDTH} tickFormatter={(v) => ticksOf(Number(v))} tick={{ fontSize: 11 }} domain={['auto', 'auto']} tickCount={3} />
                  <Tooltip labelFormatter={dateTick} formatter={(v) => [fmtInt(Number(v)), name]} />
                  {crossings.map((d) => (
                    <ReferenceLine key={`c${d}`} x={d} stroke="#c77700" strokeDasharray="4 3" />
                  ))}
                  {failures.map((d) => (
                    <ReferenceLine key={`f${d}`} x={d} stroke="#b3261e" />
                  ))}
                  <Line dataKey="v" name={name} stroke="#1d4e89" dot={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
          );
        })}
      </div>
    </figure>
  );
}
