import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkspaceMeta } from '@/domain/fleet-workspace-record';
import { keepKey } from '@/storage/fleet-keep';
import { readWorkspaceMeta, subscribeWorkspace } from '@/storage/fleet-workspace-store';
import { useSetting, writeSetting } from '@/storage/local-setting';

export type KeptState = { state: 'loading' } | { state: 'none' } | { state: 'ok'; meta: WorkspaceMeta } | { state: 'unreadable'; problem: string };

const holdKey = (domain: string) => `prognos.${domain}.fleet.holdDays`;

/**
 * The fleet workspace as the page sees it: whether the user keeps one (opt-in, off by default),
 * whether one is kept and what it holds (its description only), refreshed when this tab's worker
 * or another tab changes it; and the hold-back setting.
 */
export function useWorkspace(domain: string, defaultHoldDays: number, own: string | null) {
  const keepOn = useSetting(keepKey(domain)) === 'on';
  const setKeepOn = useCallback((on: boolean) => writeSetting(keepKey(domain), on ? 'on' : null), [domain]);
  const holdText = useSetting(holdKey(domain));
  const holdDays = holdText !== null && /^\d+$/.test(holdText) ? Number(holdText) : defaultHoldDays;
  const setHoldDays = useCallback((h: number) => writeSetting(holdKey(domain), String(h)), [domain]);
  const [kept, setKept] = useState<KeptState>({ state: 'loading' });
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  // This tab's own writes (its runs' stamps, its deletes) are not news.
  const ownStamp = useRef<string | null>(own);
  useEffect(() => {
    ownStamp.current = own;
  }, [own]);
  const refresh = useCallback(() => {
    readWorkspaceMeta(domain).then(setKept, (e: unknown) => setKept({ state: 'unreadable', problem: e instanceof Error ? e.message : String(e) }));
  }, [domain]);
  useEffect(() => {
    refresh();
    return subscribeWorkspace(domain, (stamp) => {
      // '*': this tab's own run is writing (its announcement may arrive before its summary).
      if (ownStamp.current !== '*' && stamp !== ownStamp.current) setChangedElsewhere(true);
      refresh();
    });
  }, [domain, refresh]);
  return { keepOn, setKeepOn, holdDays, setHoldDays, kept, refresh, changedElsewhere, clearChangedElsewhere: () => setChangedElsewhere(false) };
}
