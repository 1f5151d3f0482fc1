import { memo, useEffect, useMemo, useState } from 'react';
import { seriesColors } from '@/components/ui/chart-data';
import { CalibrationChart, PrChart, RocChart } from '@/components/ui/curves';
import { getDomain } from '@/domain/domains';
import type { ModelEntry } from '@/domain/manifest';
import type { EvaluationReport } from '@/domain/metrics';
import { useModelCard } from '@/inference/model-cards';

// Theme colours (light or dark; see styles.css).
const CARD = { name: 'model card', color: seriesColors.primary };
const MINE = { name: 'your data', color: seriesColors.secondary };

// Memoised: progress updates re-render the view, not these charts, and each chart re-renders
// only when its own series change (see CurvesPanel).
const Roc = memo(RocChart);
const Pr = memo(PrChart);
const Calibration = memo(CalibrationChart);

/**
 * The model card's curves, joined by a labelled file's once its evaluation arrives. Mounted by
 * the view from the start, so those arrive as a cheap update rather than a first chart render
 * at the end of a batch.
 */
export const CurvesPanel = memo(function CurvesPanel({ report, model }: { report: EvaluationReport | null; model: ModelEntry }) {
  // A labelled file's curves join the model card's one chart per task, so that no single
  // main-thread task renders all three (about 100 ms together on 2 cores).
  const [staged, setStaged] = useState<{ report: EvaluationReport | null; charts: number }>({ report: null, charts: 0 });
  const charts = staged.report === report ? staged.charts : 0;
  useEffect(() => {
    if (!report || charts >= 3) return;
    const t = setTimeout(() => setStaged({ report, charts: charts + 1 }), 0);
    return () => clearTimeout(t);
  }, [report, charts]);
  const rocOf = charts >= 1 ? report : null;
  const prOf = charts >= 2 ? report : null;
  const calibrationOf = charts >= 3 ? report : null;
  // The card's curves come from the full manifest.json (fetched on demand), not the engine's slim one.
  const card = useModelCard(model.id)?.evaluation;
  const roc = useMemo(() => [...(rocOf ? [{ ...MINE, points: rocOf.roc }] : []), { ...CARD, points: card?.roc ?? [] }], [rocOf, card]);
  const pr = useMemo(() => [...(prOf ? [{ ...MINE, points: prOf.pr }] : []), { ...CARD, points: card?.pr ?? [] }], [prOf, card]);
  const calibration = useMemo(
    () => [...(calibrationOf ? [{ ...MINE, points: calibrationOf.calibration }] : []), { ...CARD, points: card?.calibration ?? [] }],
    [calibrationOf, card],
  );
  return (
    <section className="panel" aria-labelledby="curves-title">
      <h2 id="curves-title">{report ? 'Curves: your data and the model card' : `Model card curves of ${model.id} (held-out data)`}</h2>
      {!report && <p className="muted">Load a file with a {getDomain(model.domain).labelColumn} column to compare with your own data.</p>}
      <div className="charts">
        <Roc series={roc} />
        <Pr series={pr} />
        <Calibration series={calibration} />
      </div>
    </section>
  );
});
