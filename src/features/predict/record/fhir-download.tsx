import { saveBlob } from '@/components/ui/save-file';
import type { DomainSpec } from '@/domain/domain-spec';
import { evidenceWords } from '@/domain/evidence';
import type { RecordReading } from '@/domain/fhir/read';
import type { ModelEntry } from '@/domain/manifest';
import type { PredictionState } from '../prediction-state';

/** "Download as FHIR": the shown result as an R4 RiskAssessment file. Nothing is written to any server. */
export function FhirDownload({
  domain,
  state,
  selected,
  reading,
}: {
  domain: DomainSpec;
  state: PredictionState;
  selected: ModelEntry;
  reading: RecordReading | null;
}) {
  const main = state.outcomes.find((o) => o.model.id === selected.id);
  if (!main || main.skipped !== undefined) return null;
  const p1 = main.p1;
  async function download() {
    // The FHIR writer loads on the first download, not with the result.
    const { toRiskAssessment } = await import('@/domain/fhir/risk-assessment');
    const ra = toRiskAssessment({
      domain,
      model: { id: selected.id, version: selected.version, sha256: selected.sha256, title: selected.title },
      probability: p1,
      values: state.values,
      patient: reading?.patient ?? null,
      readings: reading?.fields ?? {},
      occurrence: new Date().toISOString(),
      evidence: selected.evidence ? evidenceWords(selected.evidence, p1) : [],
    });
    saveBlob(new Blob([JSON.stringify(ra, null, 2)], { type: 'application/fhir+json' }), `prognos-${selected.id}-risk-assessment.json`);
  }
  return (
    <p className="actions">
      <button type="button" className="secondary" onClick={() => void download()}>
        Download as FHIR (RiskAssessment)
      </button>
    </p>
  );
}
