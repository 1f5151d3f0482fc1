import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SavedPrediction } from '@/domain/saved-prediction';
import { savingEnabled, listRecords, setSavingEnabled, subscribeSaved } from './saved-predictions';

function subscribe(fn: () => void) {
  const off = subscribeSaved(fn);
  window.addEventListener('storage', fn);
  return () => {
    off();
    window.removeEventListener('storage', fn);
  };
}

/** Whether saving predictions is on (off unless turned on in this browser), and its switch. */
export function useSavingEnabled(): [boolean, (on: boolean) => void] {
  return [useSyncExternalStore(subscribe, savingEnabled), setSavingEnabled];
}

/** The stored records, newest first, refreshed on every change; null while loading. */
export function useSavedPredictions(): { records: SavedPrediction[] | null; error: string | null } {
  const [state, setState] = useState<{ records: SavedPrediction[] | null; error: string | null }>({ records: null, error: null });
  useEffect(() => {
    let live = true;
    const load = () =>
      listRecords().then(
        (records) => live && setState({ records, error: null }),
        (e: unknown) => live && setState({ records: [], error: e instanceof Error ? e.message : String(e) }),
      );
    void load();
    const off = subscribeSaved(() => void load());
    return () => {
      live = false;
      off();
    };
  }, []);
  return state;
}
