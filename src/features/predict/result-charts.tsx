import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ComposedChart, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '@/components/ui/chart-figure';
import { pct, riskPct } from '@/components/ui/format';
import type { ModelEntry } from '@/domain/manifest';

// Theme colours (styles.css): the same hues as the verdict, lighter in the dark theme.
const POS = 'var(--pos)';
const NEG = 'var(--neg)';
const MUTED = 'var(--chart-muted)';
const INK = 'var(--fg)';

export const ProbabilityChart = memo(function ProbabilityChart({ p1, model }: { p1: number; model: ModelEntry }) {
  const flagged = p1 >= model.threshold;
  return (
    <ChartFigure
      caption={<>Risk on a 0–100 % scale, {model.id}; the dashed line is the model&apos;s alert threshold.</>}
      label={`Risk of ${model.id}: ${riskPct(p1)} on a 0–100 % scale, ${flagged ? 'at or above' : 'below'} the model's alert threshold of ${pct(model.threshold, 1)}.`}
    >
      {/* Room above the plot for the threshold's label. */}
      <ResponsiveContainer width="100%" height={110}>
        <BarChart layout="vertical" data={[{ name: 'risk', p: p1 * 100 }]} margin={{ left: 10, right: 30, top: 20 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis type="category" dataKey="name" width={50} />
          <Tooltip formatter={(v) => `${Math.round(Number(v))} %`} />
          <Bar dataKey="p" isAnimationActive={false}>
            <Cell fill={flagged ? POS : NEG} />
          </Bar>
          <ReferenceLine x={model.threshold * 100} stroke={INK} strokeDasharray="4 3" label={{ value: 'threshold', position: 'top', fill: INK }} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
});

function ThresholdTick(props: unknown) {
  const { cx, cy } = props as { cx?: number; cy?: number };
  if (cx === undefined || cy === undefined) return <g />;
  return <line x1={cx} x2={cx} y1={cy - 14} y2={cy + 14} stroke={INK} strokeWidth={3} />;
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
    <ChartFigure
      caption={<>{positive} per model (selected model in colour); the black tick is each model&apos;s threshold.</>}
      label={`${positive} per model, each with its alert threshold: ${data.map((d) => `${d.id} ${riskPct(d.p / 100)} (threshold ${pct(d.threshold / 100, 1)})`).join(', ')}. The same figures are in the table that follows.`}
    >
      <ResponsiveContainer width="100%" height={40 + 40 * data.length}>
        <ComposedChart layout="vertical" data={data} margin={{ left: 20, right: 30 }} accessibilityLayer={false}>
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
    </ChartFigure>
  );
});

export const ExplanationChart = memo(function ExplanationChart({
  contributions,
}: {
  contributions: { name: string; label: string; delta: number }[];
}) {
  // Wide enough for the longest input name at the tick font (about 7.5 px a character).
  const labelWidth = Math.min(260, Math.max(80, 12 + 7.5 * Math.max(...contributions.map((c) => c.label.length))));
  return (
    <ChartFigure
      caption={null}
      label={`Change in the risk per input, in percentage points: ${contributions.map((c) => `${c.label} ${c.delta >= 0 ? '+' : ''}${(c.delta * 100).toFixed(1)}`).join(', ')}.`}
    >
      <ResponsiveContainer width="100%" height={30 + 26 * contributions.length}>
        <BarChart
          layout="vertical"
          data={contributions.map((c) => ({ ...c, pp: c.delta * 100 }))}
          margin={{ left: 8, right: 30 }}
          accessibilityLayer={false}
        >
          <CartesianGrid horizontal={false} />
          <XAxis type="number" unit=" pp" />
          <YAxis type="category" dataKey="label" width={labelWidth} interval={0} />
          <Tooltip formatter={(v) => `${Number(v).toFixed(1)} percentage points`} />
          <ReferenceLine x={0} stroke={INK} />
          <Bar dataKey="pp" isAnimationActive={false}>
            {contributions.map((c) => (
              <Cell key={c.name} fill={c.delta >= 0 ? POS : NEG} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
});
