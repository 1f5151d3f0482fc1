import { useState } from 'react';
import type { DomainSpec } from '@/domain/domain-spec';
import type { Values } from '@/domain/to-vector';
import type { RecordResult } from './record-entry';
import { useSmartReturn } from './use-smart-return';

export type ReadRecord = Extract<RecordResult, { ok: true }>;

/**
 * A record read into the form (FHIR): where each value came from; a refusal leaves the form as it
 * was. `clear` drops the result shown, `fill` puts the record's values in the form.
 */
export function useRecordReading(spec: DomainSpec, { clear, fill }: { clear: () => void; fill: (values: Values) => void }) {
  const [record, setRecord] = useState<ReadRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** The record's values in the form, blanks where it holds none; nothing is predicted until the user asks. */
  function read(r: ReadRecord) {
    clear();
    setRecord(r);
    fill(r.reading.values);
  }
  useSmartReturn(spec, (r) => (r.ok ? read(r) : setError(r.error)));

  return { record, setRecord, error, setError, read };
}
