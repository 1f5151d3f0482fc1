import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelEntry } from '@/domain/manifest';

const POS = '#b3261e';
const NEG = '#1d6b3a';
const MUTED = '#8a94a6';

export const ProbabilityChart = memo(function ProbabilityChart({ p1, model }: { p1: number; model: ModelEntry }) {
  const flagged = p1 >= model.threshold;
  return (
    <figure>
      <figcaption>Risk on a 0–100 % scale, {model.id}; the dashed line is the model&apos;s alert threshold.</figcaption>
      <ResponsiveContainer width="100%" height={90}>
        <BarChart layout="vertical" data={[{ name: 'risk', p: p1 * 100 }]} margin={{ left: 10, right: 30 }}>
          <CartesianGrid horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis type="category" dataKey="name" width={50} />
          <Tooltip formatter={(v) => `${Math.round(Number(v))} %`} />
          <Bar dataKey="p" isAnimationActive={false}>
            <Cell fill={flagged ? POS : NEG} />
          </Bar>
          <ReferenceLine x={model.threshold * 100} stroke="#222" strokeDasharray="4 3" label={{ value: 'threshold', position: 'top' }} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
});

function ThresholdTick(props: unknown) {
  const { cx, cy } = props as { cx?: number; cy?: number };
  if (cx === undefined || cy === undefined) return <g />;
  return <line x1={cx} x2={cx} y1={cy - 14} y2={cy + 14} stroke="#222" strokeWidth={3} />;
}

export const ComparisonChart = memo(function ComparisonChart({
  data,
  selectedId,
  positive,
}: {
  data: { id: string; p: number; threshold: number }[];
  selectedId: string;
  positive: string;
}) {
  return (
    <figure>
      <figcaption>{positive} per model (selected model in colour); the black tick is each model&apos;s threshold.</figcaption>
      <ResponsiveContainer width="100%" height={40 + 40 * data.length}>
        <ComposedChart layout="vertical" data={data} margin={{ left: 20, right: 30 }}>
          <CartesianGrid horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis type="category" dataKey="id" width={110} interval={0} />
          <Tooltip formatter={(v) => `${Math.round(Number(v))} %`} />
          <Bar dataKey="p" name={positive} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.id} fill={d.id === selectedId ? POS : MUTED} />
            ))}
          </Bar>
          <Scatter dataKey="threshold" name="threshold" isAnimationActive={false} shape={ThresholdTick} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
});

export const ExplanationChart = memo(function ExplanationChart({ contributions }: { contributions: { name: string; label: string; delta: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height={30 + 26 * contributions.length}>
      <BarChart layout="vertical" data={contributions.map((c) => ({ ...c, pp: c.delta * 100 }))} margin={{ left: 20, right: 30 }}>
        <CartesianGrid horizontal={false} />
        <XAxis type="number" unit=" pp" />
        <YAxis type="category" dataKey="label" width={150} interval={0} />
        <Tooltip formatter={(v) => `${Number(v).toFixed(1)} percentage points`} />
        <ReferenceLine x={0} stroke="#222" />
        <Bar dataKey="pp" isAnimationActive={false}>
          {contributions.map((c) => (
            <Cell key={c.name} fill={c.delta >= 0 ? POS : NEG} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
});
