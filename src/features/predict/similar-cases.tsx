import { memo } from 'react';
import { IconArray } from '@/components/ui/icon-array';
import { riskInterval, similarCases, similarSentences, type Evidence } from '@/domain/evidence';

const pc = (p: number) => `${Math.round(p * 1000) / 10} %`;

/**
 * Beside a risk: what happened to the study's cases whose out-of-fold risk was close to it (in
 * words and as 100 people), and the interval of the risk itself with its method in one sentence.
 * All of it is read from the model's manifest entry (`evidence`), written by training.
 */
export const SimilarCases = memo(function SimilarCases({ evidence, p1, compact = false }: { evidence: Evidence; p1: number; compact?: boolean }) {
  const s = similarCases(evidence, p1);
  const { sentence, caution } = similarSentences(evidence, p1);
  const interval = riskInterval(evidence, p1);
  return (
    <section className="similar-cases" aria-label={`What happened to similar ${evidence.units}`} data-testid="similar-cases">
      <div className="similar-cases-body">
        {s.per100 !== null && (
          <IconArray
            filled={s.per100}
            size={compact ? 96 : 150}
            label={`${s.per100} of 100 people marked: of ${evidence.units} like this one in the study, about ${s.per100} in 100 ${evidence.event}.`}
          />
        )}
        <div>
          <p data-testid="similar-sentence">{sentence}</p>
          {caution && (
            <p className="caution" data-testid="similar-caution">
              {caution}
            </p>
          )}
          {interval && (
            <p data-testid="risk-interval">
              Interval of this risk: {pc(interval.low)}–{pc(interval.high)}. <span className="muted small">{interval.sentence}</span>
            </p>
          )}
          {!compact && <p className="muted small">Out-of-fold risk: {evidence.per_row}.</p>}
        </div>
      </div>
    </section>
  );
});
