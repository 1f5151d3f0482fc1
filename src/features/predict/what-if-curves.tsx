import './what-if.css';
import { memo, startTransition, useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { thin, seriesColors } from '@/components/ui/chart-data';
import { ChartFigure } from '@/components/ui/chart-figure';
import type { FollowUpGate } from '@/components/ui/follow-up-gate';
import { num } from '@/components/ui/format';
import { inputsRead, type DomainSpec } from '@/domain/domain-spec';
import { errorMessage, isAbortError } from '@/domain/errors';
import type { ModelEntry } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';
import { planWhatIf, splitWhatIf } from '@/domain/what-if';
import { useInference } from '@/inference/use-inference';
import { completeRow } from './model-inputs';

/** Points per curve: enough for a smooth line, few enough for one fast batched call. */
const POINTS = 40;
/** The performance measure the benchmark reads: prediction shown to curves computed. */
export const WHAT_IF_MEASURE = 'prognos:what-if';

type Curve = { name: string; value: number; points: { x: number; p: number }[] };

/**
 * For each input the model reads: the risk as that input alone sweeps its training range
 * (p1 to p99), the others held at the values entered. Every row of every curve goes to the
 * worker in one call.
 */
export function WhatIfCurves({
  domain,
  model,
  values,
  p1,
  threshold,
  seq,
  gate,
}: {
  domain: DomainSpec;
  model: ModelEntry;
  values: Values;
  p1: number;
  threshold: number;
  seq: number;
  /** Held while a newer prediction is on its way: the curves wait for it, or are dropped. */
  gate: FollowUpGate;
}) {
  const current = useWhatIf(domain, model, values, seq, gate);
  const label = (name: string) => domain.fields.find((f) => f.name === name)?.label ?? name;
  return (
    <section
      aria-labelledby="what-if-title"
      className="what-if"
      data-testid="what-if"
      data-what-if-ms={current && 'ms' in current ? current.ms.toFixed(2) : undefined}
    >
      <h3 id="what-if-title">What if one input were different</h3>
      <p className="muted small">
        The risk as one input moves across its usual training range (1st to 99th percentile), the others held at the values entered. The dot is the
        value entered ({num(p1 * 100, 1)} %), the dashed line the alert threshold. A view of this model, not of cause and effect.
      </p>
      {current === null && <p className="muted">Computing the curves…</p>}
      {current && 'error' in current && (
        <p className="field-error" role="alert">
          The curves could not be computed: {current.error}
        </p>
      )}
      {current && 'curves' in current && (
        <div className="what-if-grid">
          {current.curves.map((c) => (
            <WhatIfChart
              key={c.name}
              curve={c}
              label={label(c.name)}
              unit={model.features.find((f) => f.name === c.name)?.unit ?? ''}
              modelId={model.id}
              p1={p1}
              threshold={threshold}
            />
          ))}
        </div>
      )}
    </section>
  );
}

/** The curves of the model at these values, computed in one batched call once `gate` opens; null while on their way. */
function useWhatIf(domain: DomainSpec, model: ModelEntry, values: Values, seq: number, gate: FollowUpGate) {
  const inference = useInference();
  const [result, setResult] = useState<{ key: string; curves: Curve[]; ms: number } | { key: string; error: string } | null>(null);
  const key = `${model.id}:${seq}`;
  const plan = useMemo(() => {
    const read = new Set(
      inputsRead(
        domain,
        model.id,
        model.features.map((f) => f.name),
      ),
    );
    const integers = new Set(domain.fields.filter((f) => f.kind !== 'number').map((f) => f.name));
    const row = completeRow(domain, model, values);
    return planWhatIf(
      model.features.filter((f) => read.has(f.name)),
      row,
      { points: POINTS, integers },
    );
  }, [domain, model, values]);

  useEffect(() => {
    const ac = new AbortController();
    const start = performance.now();
    inference
      .predict([model.id], plan.rows, { signal: ac.signal })
      .then(async ([pred]) => {
        const ms = performance.now() - start;
        performance.measure(WHAT_IF_MEASURE, { start, duration: ms });
        await gate.open();
        if (!ac.signal.aborted) startTransition(() => setResult({ key, curves: splitWhatIf(plan, pred!.p1), ms }));
      })
      .catch((e: unknown) => {
        if (!isAbortError(e)) setResult({ key, error: errorMessage(e) });
      });
    return () => ac.abort();
  }, [inference, model.id, plan, key, gate]);

  return result?.key === key ? result : null;
}

const WhatIfChart = memo(function WhatIfChart({
  curve,
  label,
  unit,
  modelId,
  p1,
  threshold,
}: {
  curve: Curve;
  label: string;
  unit: string;
  modelId: string;
  p1: number;
  threshold: number;
}) {
  const data = curve.points.map((pt) => ({ x: pt.x, p: pt.p * 100 }));
  const lo = Math.min(...data.map((d) => d.p));
  const hi = Math.max(...data.map((d) => d.p));
  const unitText = unit && unit !== 'count' ? ` (${unit})` : '';
  const points = thin(data);
  return (
    <div className="what-if-chart">
      <ChartFigure
        caption={
          <>
            {label}
            {unitText}: risk from {num(lo, 1)} % to {num(hi, 1)} %
          </>
        }
        label={
          `Risk of ${modelId} as ${label}${unitText} moves from ${num(data[0]?.x ?? 0, 2)} to ${num(data.at(-1)?.x ?? 0, 2)}, ` +
          `the other inputs as entered: from ${num(lo, 1)} % to ${num(hi, 1)} %; the value entered, ${num(curve.value, 2)}, gives ` +
          `${num(p1 * 100, 1)} %; alert threshold ${num(threshold * 100, 1)} %. Its points are in the table that follows.`
        }
        tables={[
          {
            caption: `What if ${label} were different, ${modelId}: ${points.length} of its ${data.length} points`,
            columns: [`${label}${unitText}`, 'Risk (%)'],
            rows: points.map((d) => [num(d.x, 2), num(d.p, 1)]),
          },
        ]}
      >
        <ResponsiveContainer width="100%" height={140}>
          <LineChart data={data} margin={{ left: 4, right: 24, top: 12, bottom: 4 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="2 3" />
            <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(v: number) => num(v, 2)} />
            <YAxis domain={[0, 100]} unit="%" width={58} />
            <Line dataKey="p" dot={false} stroke={seriesColors.primary} strokeWidth={2} isAnimationActive={false} />
            <ReferenceLine y={threshold * 100} stroke="var(--chart-muted)" strokeDasharray="4 3" />
            <ReferenceDot x={curve.value} y={p1 * 100} r={5} fill={seriesColors.secondary} stroke="#fff" />
          </LineChart>
        </ResponsiveContainer>
      </ChartFigure>
    </div>
  );
});
