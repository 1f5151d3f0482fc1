import { useCallback, useEffect, useState } from 'react';
import { toInspection, type InspectionRecord, type UnreadableRecord } from '@/domain/fleet-workspace-record';
import type { Inspection } from '@/domain/inspections';
import { listInspections, subscribeInspections } from '@/storage/inspection-store';

export interface InspectionsState {
  records: InspectionRecord[];
  unreadable: UnreadableRecord[];
  inspections: Inspection[];
  loaded: boolean;
  problem: string | null;
}

/** The domain's recorded inspections, kept in this browser, refreshed on every change (this tab or another). */
export function useInspections(domain: string): InspectionsState & { reload: () => void } {
  const [state, setState] = useState<InspectionsState>({ records: [], unreadable: [], inspections: [], loaded: false, problem: null });
  const reload = useCallback(() => {
    listInspections(domain).then(
      (k) => setState({ records: k.records, unreadable: k.unreadable, inspections: k.records.map(toInspection), loaded: true, problem: null }),
      (e: unknown) =>
        setState((s) => ({
          ...s,
          loaded: true,
          problem: `The inspections kept in this browser could not be read: ${e instanceof Error ? e.message : String(e)}`,
        })),
    );
  }, [domain]);
  useEffect(() => {
    reload();
    return subscribeInspections(reload);
  }, [reload]);
  return { ...state, reload };
}
