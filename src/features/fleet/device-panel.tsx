import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { riskPct } from '@/components/ui/format';
import type { DeviceTimeline } from '@/domain/fleet-report';
import { formatIsoDay } from '@/domain/history';
import { countOf } from '@/domain/words';
import { CounterPanels } from './counter-panels';
import { moverText } from './movers';

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
        {t.rank[last]} that day); flagged on {countOf(flaggedDays, 'day')} (above the threshold {riskPct(t.threshold)}, or in the day&apos;s top {t.k}{' '}
        on a day when more than {countOf(t.k, subject)} reported).
        {failures.length > 0 && <> Failure recorded on {failures.map(formatIsoDay).join(', ')}.</>}
        {t.movers.length > 0 && <> Moved most on its latest reading: {t.movers.map(moverText).join(', ')}.</>}
      </p>
      {t.gaps && (
        <p data-testid="device-gaps">
          {t.gaps.list.length === 0
            ? `No gap of more than ${countOf(t.gaps.longerThan, 'day')} without a reading.`
            : `${countOf(t.gaps.list.length, 'gap')} of more than ${countOf(t.gaps.longerThan, 'day')} without a reading: ${t.gaps.list
                .map((g) => `${countOf(g.missing, 'day')} after ${formatIsoDay(g.after)} (next reading ${formatIsoDay(g.before)})`)
                .join('; ')}. Across a gap, the history features compare with the reading before it (see the README).`}
        </p>
      )}
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
      </div>
      {stage >= 2 && <CounterPanels t={t} />}
      <DeviceRows t={t} />
    </section>
  );
}

/** Every reading with every figure, the latest first (the one that matters is at the top). */
function DeviceRows({ t }: { t: DeviceTimeline }) {
  const hasLabel = t.label.some((l) => l !== null);
  const latestFirst = t.days.map((_, i) => t.days.length - 1 - i);
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
          {latestFirst.map((i) => (
            <tr key={t.days[i]} className={t.flagged[i] ? 'row-flagged' : undefined}>
              <td>{formatIsoDay(t.days[i]!)}</td>
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
