import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { num, pct, riskPct } from '@/components/ui/format';
import type { DeviceTimeline } from '@/domain/fleet-report';
import { formatIsoDay } from '@/domain/history';
import { countOf } from '@/domain/words';
import { moverText } from './movers';

const COLORS = ['#1d4e89', '#b3261e', '#1d6b3a', '#8a4baf', '#c77700', '#00798c', '#6b6b6b', '#a23b72', '#3b6ea5'];
const dateTick = (d: unknown) => formatIsoDay(Number(d));

/** Charts one per task: the risk line first, the counters after it (each render stays short). */
function useStage(max: number, key: unknown): number {
  const [s, setS] = useState<{ key: unknown; n: number }>({ key, n: 0 });
  const n = s.key === key ? s.n : 0;
  useEffect(() => {
    if (n >= max) return;
    const t = setTimeout(() => setS({ key, n: n + 1 }), 0);
    return () => clearTimeout(t);
  }, [n, max, key]);
  return n;
}

/** One device over time: its risk with the threshold, its counters, its rows. */
export function DevicePanel({ t, subject, listHref }: { t: DeviceTimeline; subject: string; listHref: string }) {
  const stage = useStage(2, t);
  const risk = useMemo(() => t.days.map((d, i) => ({ day: d, p: t.p1[i]! })), [t]);
  // Counters that change at all on this device; constant ones add lines and no information.
  const moving = useMemo(() => t.inputs.filter((_, j) => t.values.some((v) => v[j] !== t.values[0]![j])), [t]);
  const counters = useMemo(
    () => t.days.map((d, i) => Object.fromEntries([['day', d], ...moving.map((name) => [name, t.values[i]![t.inputs.indexOf(name)]!])])),
    [t, moving],
  );
  const flaggedDays = t.flagged.filter(Boolean).length;
  const failures = t.days.filter((_, i) => t.label[i] === 1);
  const last = t.days.length - 1;
  return (
    <section className="panel" aria-labelledby="device-title" data-testid="device-panel">
      <p>
        <a href={listHref}>Back to the day&apos;s list</a>
      </p>
      <h2 id="device-title">
        {subject[0]!.toUpperCase() + subject.slice(1)} {t.entity}
      </h2>
      <p data-testid="device-facts">
        {countOf(t.days.length, 'reading')} from {formatIsoDay(t.days[0]!)} to {formatIsoDay(t.days[last]!)}; latest risk {riskPct(t.p1[last]!)} (rank{' '}
        {t.rank[last]} that day); flagged on {countOf(flaggedDays, 'day')} (above the threshold {pct(t.threshold, 1)}, or in the day&apos;s top {t.k}{' '}
        on a day when more than {t.k} {subject}s reported).
        {failures.length > 0 && <> Failure recorded on {failures.map(formatIsoDay).join(', ')}.</>}
        {t.movers.length > 0 && <> Moved most on its latest reading: {t.movers.map(moverText).join(', ')}.</>}
      </p>
      {t.duplicates.length > 0 && (
        <p className="muted small">
          {countOf(t.duplicates.length, 'duplicate row')} set aside: {t.duplicates.map((d) => `line ${d.line} (kept line ${d.keptLine})`).join(', ')}.
        </p>
      )}
      <div className="charts">
        <figure className="chart" aria-label={`Risk of ${t.entity} over time`}>
          <figcaption>Risk over time (P(failure), dashed: the model card&apos;s threshold)</figcaption>
          {stage >= 1 && (
            <ResponsiveContainer width="100%" height={240}>
              <LineChart data={risk} margin={{ left: 0, right: 16, top: 8, bottom: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" type="number" domain={['dataMin', 'dataMax']} tickFormatter={dateTick} />
                <YAxis domain={[0, 1]} tickCount={6} />
                <Tooltip labelFormatter={dateTick} formatter={(v) => riskPct(Number(v))} />
                <ReferenceLine y={t.threshold} stroke="#b3261e" strokeDasharray="4 4" />
                <Line dataKey="p" name="P(failure)" stroke="#1d4e89" dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          )}
        </figure>
        <figure className="chart" aria-label={`Counters of ${t.entity} over time`}>
          <figcaption>Counters over time{moving.length === 0 ? ' (none changes on this device)' : ''}</figcaption>
          {stage >= 2 && moving.length > 0 && (
            <ResponsiveContainer width="100%" height={240}>
              <LineChart data={counters} margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" type="number" domain={['dataMin', 'dataMax']} tickFormatter={dateTick} />
                <YAxis scale="symlog" width={90} tickFormatter={(v) => num(Number(v), 0)} />
                <Tooltip labelFormatter={dateTick} />
                <Legend verticalAlign="top" />
                {moving.map((name, i) => (
                  <Line key={name} dataKey={name} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} />
                ))}
              </LineChart>
            </ResponsiveContainer>
          )}
        </figure>
      </div>
      <DeviceRows t={t} />
    </section>
  );
}

function DeviceRows({ t }: { t: DeviceTimeline }) {
  const hasLabel = t.label.some((l) => l !== null);
  return (
    <div className="scroll-box" tabIndex={0} role="region" aria-label={`Readings of ${t.entity}, scrollable`}>
      <table className="table" aria-label={`Readings of ${t.entity}`}>
        <thead>
          <tr>
            <th scope="col">date</th>
            <th scope="col">line</th>
            <th scope="col">P(failure)</th>
            <th scope="col">rank</th>
            {t.inputs.map((n) => (
              <th scope="col" key={n}>
                {n}
              </th>
            ))}
            {hasLabel && <th scope="col">failure</th>}
          </tr>
        </thead>
        <tbody>
          {t.days.map((d, i) => (
            <tr key={d} className={t.flagged[i] ? 'row-flagged' : undefined}>
              <td>{formatIsoDay(d)}</td>
              <td>{t.lines[i]}</td>
              <td>{riskPct(t.p1[i]!)}</td>
              <td>{t.rank[i]}</td>
              {t.values[i]!.map((v, j) => (
                <td key={j}>{v}</td>
              ))}
              {hasLabel && <td>{t.label[i]}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
