import { useState, type ReactNode } from 'react';
import { seriesColors } from '@/components/ui/chart-data';
import { CalibrationChart, DecisionCurveChart } from '@/components/ui/curves';
import { fmtInt, meanSd, num } from '@/components/ui/format';
import type { OutOfFold, TripodTexts } from '@/domain/evidence';
import type { ModelCard } from '@/domain/manifest';
import { itemsShown, tripodItems, usefulRange, type TripodItemId } from './tripod-items';

const pc = (p: number) => `${Math.round(p * 1000) / 10} %`;
const ci = (lo: number, hi: number, d = 3) => `95 % interval ${lo.toFixed(d)} to ${hi.toFixed(d)}`;

function Item({ id, children }: { id: TripodItemId; children: ReactNode }) {
  const it = tripodItems[id];
  return (
    <section className="tripod-item" data-tripod-item={it.number} aria-labelledby={`tripod-${id}`}>
      <h4 id={`tripod-${id}`}>
        <span className="tripod-item-number">TRIPOD+AI {it.number}</span> {it.title}
      </h4>
      {children}
    </section>
  );
}

/** A <details> whose content is rendered once opened: seven cards of charts and tables stay light. */
function More({ summary, children }: { summary: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {open && children}
    </details>
  );
}

/**
 * The model card in TRIPOD+AI form (Collins et al., BMJ 2024): each item labelled with its
 * checklist number, every figure read from the manifest (training's out-of-fold figures), every
 * text from the domain's declaration through the manifest. What does not apply is listed, with why.
 */
export function TripodCard({ m, open = false }: { m: ModelCard; open?: boolean }) {
  // Rendered once opened: seven full cards make the Models page slow to read and to check.
  const [shown, setShown] = useState(open);
  const oof = m.evaluation.out_of_fold;
  const texts: TripodTexts = m.evaluation.tripod ?? { not_applicable: [] };
  if (!oof) return null;
  const claimed = itemsShown(texts);
  return (
    <div className="tripod-card" aria-label={`TRIPOD+AI items for ${m.id}`}>
      <h3>Card in TRIPOD+AI form</h3>
      <p className="muted small" data-testid="tripod-claimed">
        Items on this card: {claimed.map((id) => tripodItems[id].number).join('; ')}.
      </p>
      <details open={open} onToggle={(e) => setShown(e.currentTarget.open)}>
        <summary>Show the {claimed.length} items, with calibration, decision curve and subgroups</summary>
        {shown && (
          <>
            <Item id="intendedUse">
              <p>{m.intended_use}</p>
              {texts.intended_users && <p>{texts.intended_users}</p>}
            </Item>
            {texts.eligibility && (
              <Item id="eligibility">
                <p>{texts.eligibility}</p>
              </Item>
            )}
            {texts.outcome && (
              <Item id="outcome">
                <p>{texts.outcome}</p>
              </Item>
            )}
            <Item id="sampleSize">
              <p>
                {fmtInt(oof.rows)} {oof.unit}s{oof.entities !== undefined ? ` of ${fmtInt(oof.entities)} devices` : ''}, {fmtInt(oof.events)} with the
                outcome ({pc(oof.events / oof.rows)}). {texts.sample_size}
              </p>
            </Item>
            {texts.missing_inputs && (
              <Item id="missing">
                <p>{texts.missing_inputs}</p>
              </Item>
            )}
            {texts.class_imbalance && (
              <Item id="imbalance">
                <p>{texts.class_imbalance}</p>
              </Item>
            )}
            <Item id="validation">
              <p>{m.evaluation.protocol}</p>
              <p>
                Calibration, decision curve, subgroups and the intervals below use {oof.per_row}. Averaging a {oof.unit}&apos;s held-out predictions
                smooths them a little compared with one fitted model&apos;s.
              </p>
            </Item>
            <Discrimination m={m} oof={oof} />
            <Calibration m={m} oof={oof} />
            <DecisionCurve oof={oof} />
            <Subgroups oof={oof} />
            <Output m={m} oof={oof} />
            <Limitations m={m} />
            {texts.not_applicable.length > 0 && <NotApplicable items={texts.not_applicable} />}
          </>
        )}
      </details>
    </div>
  );
}

function Limitations({ m }: { m: ModelCard }) {
  return (
    <Item id="limitations">
      <ul>
        {m.limitations.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </Item>
  );
}

/** The checklist items this model does not claim, each with why. */
function NotApplicable({ items }: { items: TripodTexts['not_applicable'] }) {
  return (
    <section aria-label="Items that do not apply">
      <h4>Not applicable to this model</h4>
      <ul data-testid="tripod-not-applicable">
        {items.map((n) => (
          <li key={n.item}>
            {n.item}: {n.why}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Discrimination({ m, oof }: { m: ModelCard; oof: OutOfFold }) {
  const d = oof.discrimination;
  const roc = m.evaluation.metrics.roc_auc;
  return (
    <Item id="discrimination">
      <p data-testid="tripod-roc-auc">
        ROC AUC of the out-of-fold risks: <strong>{d.roc_auc.toFixed(3)}</strong> ({d.interval.replace(', 95 %', '')} {ci(d.low, d.high)}
        {oof.entities !== undefined ? `; readings of one device are not independent, so this interval is too narrow` : ''}). Over the {d.parts} test
        parts: 2.5th to 97.5th percentile {d.parts_p2_5.toFixed(3)} to {d.parts_p97_5.toFixed(3)}
        {roc ? `; mean ± sd ${meanSd(roc.mean, roc.sd)}` : ''}.
      </p>
    </Item>
  );
}

function Calibration({ m, oof }: { m: ModelCard; oof: OutOfFold }) {
  const c = oof.calibration_fit;
  return (
    <Item id="calibration">
      <p data-testid="tripod-calibration">
        Calibration intercept <strong>{c.intercept.toFixed(3)}</strong> ({ci(c.intercept_low, c.intercept_high)}; 0 is ideal) and slope{' '}
        <strong>{c.slope.toFixed(3)}</strong> ({ci(c.slope_low, c.slope_high)}; 1 is ideal, below 1 the risks are too extreme, above 1 too timid).
      </p>
      <More summary="Calibration plot and table (groups of equal size)">
        <CalibrationChart
          series={[
            { name: `${m.id}, ${oof.calibration_groups.length} groups of equal size`, points: oof.calibration_groups, color: seriesColors.primary },
          ]}
        />

        <table className="table small">
          <caption>Calibration groups (95 % Wilson interval of the observed share)</caption>
          <thead>
            <tr>
              <th scope="col">{oof.unit}s</th>
              <th scope="col">Outcomes</th>
              <th scope="col">Mean predicted</th>
              <th scope="col">Observed</th>
            </tr>
          </thead>
          <tbody>
            {oof.calibration_groups.map((g, i) => (
              <tr key={i}>
                <td>{fmtInt(g.n)}</td>
                <td>{fmtInt(g.events)}</td>
                <td>{pc(g.mean_predicted)}</td>
                <td>
                  {pc(g.observed)} ({pc(g.low)}–{pc(g.high)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </More>
    </Item>
  );
}

function DecisionCurve({ oof }: { oof: OutOfFold }) {
  const rows = oof.decision_curve;
  const every = Math.max(1, Math.ceil(rows.length / 12));
  const useful = usefulRange(rows);
  return (
    <Item id="decisionCurve">
      <p>
        Net benefit = true positives / N − false positives / N × t / (1 − t), at each threshold t, against treating every {oof.unit} and treating none
        (net benefit 0). The model is useful where its curve lies above both.
      </p>
      <p data-testid="tripod-decision-summary">
        {useful
          ? `Net benefit above both from threshold ${num(useful[0])} to ${num(useful[1])} (of the ${rows.length} thresholds ${num(rows[0]!.threshold)} to ${num(rows[rows.length - 1]!.threshold)} computed).`
          : `At none of the ${rows.length} thresholds computed is the net benefit above both.`}
      </p>
      <More summary="Decision curve: chart and table">
        <DecisionCurveChart points={rows} />
        <table className="table small" data-testid="tripod-decision-table">
          <caption>Decision curve (a selection of thresholds)</caption>
          <thead>
            <tr>
              <th scope="col">Threshold</th>
              <th scope="col">Net benefit, model</th>
              <th scope="col">Treat all</th>
              <th scope="col">Flagged</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((_, i) => i % every === 0)
              .map((r) => (
                <tr key={r.threshold}>
                  <td>{num(r.threshold)}</td>
                  <td>{r.net_benefit.toFixed(4)}</td>
                  <td>{r.treat_all.toFixed(4)}</td>
                  <td>{fmtInt(r.flagged)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </More>
    </Item>
  );
}

function Subgroups({ oof }: { oof: OutOfFold }) {
  return (
    <Item id="subgroups">
      <table className="table small" data-testid="tripod-subgroups">
        <caption>Out-of-fold performance by subgroup</caption>
        <thead>
          <tr>
            <th scope="col">Subgroup</th>
            <th scope="col">N</th>
            <th scope="col">Outcomes</th>
            <th scope="col">Observed</th>
            <th scope="col">Mean predicted</th>
            <th scope="col">ROC AUC (95 % interval)</th>
          </tr>
        </thead>
        <tbody>
          {oof.subgroups.map((g) => (
            <tr key={`${g.subgroup}-${g.label}`}>
              <th scope="row">
                {g.subgroup}: {g.label}
              </th>
              <td>
                {fmtInt(g.n)}
                {g.entities !== undefined ? ` (${fmtInt(g.entities)} devices)` : ''}
              </td>
              <td>{fmtInt(g.events)}</td>
              <td>{g.observed === null ? '–' : pc(g.observed)}</td>
              <td>{g.mean_predicted === null ? '–' : pc(g.mean_predicted)}</td>
              <td>
                {g.roc_auc === null
                  ? 'not defined (one class only)'
                  : `${g.roc_auc.toFixed(3)} (${g.roc_auc_low!.toFixed(3)}–${g.roc_auc_high!.toFixed(3)})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Item>
  );
}

function Output({ m, oof }: { m: ModelCard; oof: OutOfFold }) {
  const v = oof.interval_validity;
  return (
    <Item id="output">
      <p>
        A probability of the outcome; flagged when it is at or above the threshold {num(m.threshold)}, chosen inside the training part only (see the
        threshold figures above).
      </p>
      {v && (
        <p data-testid="tripod-interval-validity">
          Interval of one risk: the Wilson 95 % interval of the outcome among the study&apos;s {oof.unit}s whose out-of-fold risk lies within the
          similar-{oof.unit}s band of it: the share that had the outcome says what such a risk turned out to mean (its calibration), and the interval
          says how sure that share is with so few {oof.unit}s (its sampling uncertainty). The band is declared, not chosen on the data. Measured on
          held-out {oof.unit}s ({v.folds}-fold cross-validation, each {oof.unit}&apos;s interval built from the other folds only, {v.groups.length}{' '}
          groups sorted by interval): mean width {pc(v.mean_width)}; the observed share fell inside the group&apos;s mean interval in{' '}
          <strong>{v.inside}</strong> of {v.groups.length} groups, and its 95 % Wilson interval overlapped it in {v.overlapping} of {v.groups.length};
          overall {pc(v.overall.observed)} observed against {pc(v.overall.mean_low)}–{pc(v.overall.mean_high)}. Over {v.repeats.splits} shuffles of
          the cross-validation, the observed share fell inside in <strong>{v.repeats.inside}</strong> of {v.repeats.groups} groups (
          {pc(v.repeats.inside / v.repeats.groups)}).
        </p>
      )}
    </Item>
  );
}
