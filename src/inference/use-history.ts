import { useEffect, useState, useSyncExternalStore } from 'react';
import type { HistoryRecord } from '@/domain/history-record';
import { historyEnabled, listRecords, setHistoryEnabled, subscribeHistory } from './history-store';

function subscribe(fn: () => void) {
  const off = subscribeHistory(fn);
  window.addEventListener('storage', fn);
  return () => {
    off();
    window.removeEventListener('storage', fn);
  };
}

/** Whether the local history is on (off unless turned on in this browser), and its switch. */
export function useHistoryEnabled(): [boolean, (on: boolean) => void] {
  return [useSyncExternalStore(subscribe, historyEnabled), setHistoryEnabled];
}

/** The stored records, newest first, refreshed on every change; null while loading. */
export function useHistoryRecords(): { records: HistoryRecord[] | null; error: string | null } {
  const [state, setState] = useState<{ records: HistoryRecord[] | null; error: string | null }>({ records: null, error: null });
  useEffect(() => {
    let live = true;
    const load = () =>
      listRecords().then(
        (records) => live && setState({ records, error: null }),
        (e: unknown) => live && setState({ records: [], error: e instanceof Error ? e.message : String(e) }),
      );
    void load();
    const off = subscribeHistory(() => void load());
    return () => {
      live = false;
      off();
    };
  }, []);
  return state;
}
