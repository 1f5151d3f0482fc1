import { useEffect, useRef } from 'react';
import type { DomainSpec } from '@/domain/domain-spec';
import { fhirSource, hasFhirMapping, isSmartReturn, type RecordResult } from './record-entry';

/** Back from a SMART authorisation (?code&state): complete the launch once and hand the record over. */
export function useSmartReturn(domain: DomainSpec, onResult: (r: RecordResult) => void): void {
  const started = useRef(false);
  const latest = useRef(onResult);
  useEffect(() => {
    latest.current = onResult;
  });
  useEffect(() => {
    if (started.current || !hasFhirMapping(domain) || !isSmartReturn()) return;
    started.current = true;
    void fhirSource()
      .then(({ completeSmartLaunch }) => completeSmartLaunch(domain))
      .then((r) => latest.current(r));
  }, [domain]);
}
