import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { thin } from './chart-data';
import { ChartFigure } from './chart-figure';
import { fmtInt } from './format';

/** Small line charts shared by the model cards and the batch evaluation. */

export interface Series<T> {
  name: string;
  points: T[];
  color: string;
}

const fmt = (v: unknown) => Number(v).toFixed(3);

function CurveChart({
  title,
  series,
  x,
  y,
  xLabel,
  yLabel,
  diagonal,
}: {
  title: string;
  series: Series<Record<string, number | null>>[];
  x: string;
  y: string;
  xLabel: string;
  yLabel: string;
  diagonal?: boolean;
}) {
  const drawn = series.filter((s) => s.points.length > 0);
  const label =
    drawn.length === 0
      ? `${title}: no points yet.`
      : `${title}: ${yLabel.toLowerCase()} against ${xLabel.toLowerCase()}, for ${drawn.map((s) => s.name).join(' and ')}; its points are in the table that follows.`;
  const tables = drawn.map((s) => {
    const points = thin(s.points.filter((p) => p[x] !== null && p[y] !== null));
    return {
      caption: `${title}, ${s.name}: ${points.length} of its ${s.points.length} points`,
      columns: [xLabel, yLabel],
      rows: points.map((p) => [fmt(p[x]), fmt(p[y])]),
    };
  });
  return (
    <ChartFigure caption={title} label={label} tables={tables}>
      <ResponsiveContainer width="100%" height={240}>
        {/* Room for the axis titles: the y title sits left of the ticks, the x title under them. */}
        <LineChart margin={{ left: 12, right: 16, top: 8, bottom: 20 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey={x} domain={[0, 1]} tickCount={6} label={{ value: xLabel, position: 'bottom', offset: 4 }} />
          <YAxis
            type="number"
            domain={[0, 1]}
            tickCount={6}
            width={44}
            label={{ value: yLabel, angle: -90, position: 'left', offset: 0, style: { textAnchor: 'middle' } }}
          />
          <Tooltip formatter={fmt} labelFormatter={(v) => `${xLabel} ${fmt(v)}`} />
          {series.length > 1 && <Legend verticalAlign="top" />}
          {diagonal && (
            <Line
              data={[
                { [x]: 0, [y]: 0 },
                { [x]: 1, [y]: 1 },
              ]}
              dataKey={y}
              name="reference"
              stroke="var(--chart-reference)"
              strokeDasharray="4 4"
              dot={false}
              isAnimationActive={false}
              legendType="none"
            />
          )}
          {series.map((s) => (
            <Line
              key={s.name}
              data={s.points}
              dataKey={y}
              name={s.name}
              stroke={s.color}
              dot={false}
              isAnimationActive={false}
              connectNulls
              type="linear"
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function RocChart({ series }: { series: Series<{ fpr: number; tpr: number }>[] }) {
  return <CurveChart title="ROC curve" series={series} x="fpr" y="tpr" xLabel="False positive rate" yLabel="True positive rate" diagonal />;
}

export function PrChart({ series }: { series: Series<{ recall: number; precision: number }>[] }) {
  return <CurveChart title="Precision–recall curve" series={series} x="recall" y="precision" xLabel="Recall" yLabel="Precision" />;
}

export function CalibrationChart({ series }: { series: Series<{ mean_predicted: number | null; observed: number | null }>[] }) {
  const s = series.map((x) => ({ ...x, points: x.points.filter((p) => p.mean_predicted !== null && p.observed !== null) }));
  return (
    <CurveChart
      title="Calibration (10 bins)"
      series={s}
      x="mean_predicted"
      y="observed"
      xLabel="Mean predicted probability"
      yLabel="Observed frequency"
      diagonal
    />
  );
}

export function ConfusionTable({
  confusion,
  labels,
  caption,
}: {
  confusion: { tn: number; fp: number; fn: number; tp: number };
  labels: readonly [string, string];
  caption: string;
}) {
  return (
    <table className="table confusion">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">Predicted {labels[0]}</th>
          <th scope="col">Predicted {labels[1]}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Actual {labels[0]}</th>
          <td>{fmtInt(confusion.tn)}</td>
          <td>{fmtInt(confusion.fp)}</td>
        </tr>
        <tr>
          <th scope="row">Actual {labels[1]}</th>
          <td>{fmtInt(confusion.fn)}</td>
          <td>{fmtInt(confusion.tp)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Net benefit over thresholds: the model, treat all, treat none (0); y clipped to the interesting range. */
export function DecisionCurveChart({ points }: { points: { threshold: number; net_benefit: number; treat_all: number }[] }) {
  const top = Math.max(0.01, ...points.map((p) => Math.max(p.net_benefit, p.treat_all)));
  const xMax = Math.max(...points.map((p) => p.threshold));
  const data = points.map((p) => ({ ...p, none: 0 }));
  const label = `Decision curve: net benefit against threshold for the model, treating all and treating none; its points are in the table that follows.`;
  return (
    <ChartFigure caption="Decision curve" label={label}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ left: 12, right: 16, top: 8, bottom: 20 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="threshold" domain={[0, xMax]} label={{ value: 'Threshold', position: 'bottom', offset: 4 }} />
          <YAxis
            type="number"
            domain={[-top * 0.25, top * 1.05]}
            allowDataOverflow
            width={52}
            tickFormatter={(v: number) => v.toFixed(3)}
            label={{ value: 'Net benefit', angle: -90, position: 'left', offset: 0, style: { textAnchor: 'middle' } }}
          />
          <Tooltip formatter={fmt} labelFormatter={(v) => `Threshold ${fmt(v)}`} />
          <Legend verticalAlign="top" />
          <Line dataKey="net_benefit" name="model" stroke="var(--chart-1)" dot={false} isAnimationActive={false} />
          <Line dataKey="treat_all" name="treat all" stroke="var(--chart-2)" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
          <Line dataKey="none" name="treat none" stroke="var(--chart-reference)" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
