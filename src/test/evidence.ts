// Test-only: a patient model's evidence (issue 22) with the similar-case rows a test gives it.
import type { Evidence, SimilarRow } from '@/domain/evidence-schema';

/** One row of the similar-cases grid; the risks of its closest cases unknown unless given. */
export const similarRow = (
  risk: number,
  n: number,
  events: number,
  low: number,
  high: number,
  min_risk: number | null = null,
  max_risk: number | null = null,
): SimilarRow => ({ risk, n, events, low, high, min_risk, max_risk });

/** Evidence of a patient model over these rows: a grid step of 0.5, cases within 5 points, fewer than 30 too few. */
export const patientEvidence = (rows: SimilarRow[]): Evidence => ({
  unit: 'patient',
  units: 'patients',
  event: 'died',
  per_row: 'test',
  similar: { band: 0.05, step: 0.5, small_n: 30, interval: 'Wilson score, 95 %', rows },
});
