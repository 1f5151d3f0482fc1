import { riskInterval, similarCases, similarSentences } from '@/domain/evidence';
import type { ModelEntry } from '@/domain/manifest';

/** The similar-cases figures and the risk interval of one prediction, for the JSON download. */
export function evidenceForDownload(model: ModelEntry, p1: number): Record<string, unknown> {
  const e = model.evidence;
  if (!e) return {};
  const s = similarCases(e, p1);
  const { sentence, caution } = similarSentences(e, p1);
  const interval = riskInterval(e, p1);
  return {
    similar_cases: {
      sentence,
      caution,
      n: s.n,
      events: s.events,
      share: s.share,
      interval_95: [s.low, s.high],
      interval_method: e.similar.interval,
      band: e.similar.band,
      out_of_fold_risks: e.per_row,
    },
    ...(interval ? { risk_interval: { low: interval.low, high: interval.high, method: interval.sentence } } : {}),
  };
}
