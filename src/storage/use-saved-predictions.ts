import { useEffect, useState, useSyncExternalStore } from 'react';
import type { UnreadableRecord } from '@/domain/kept-records';
import type { SavedPrediction } from '@/domain/saved-prediction';
import { savingEnabled, listKept, setSavingEnabled, subscribeSaved } from './saved-predictions';

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

interface Kept {
  records: SavedPrediction[] | null;
  /** Kept values that are not valid records: shown with their problem, never hidden. */
  unreadable: UnreadableRecord[];
  error: string | null;
}

/** The stored records, newest first, refreshed on every change; null while loading. */
export function useSavedPredictions(): Kept {
  const [state, setState] = useState<Kept>({ records: null, unreadable: [], error: null });
  useEffect(() => {
    let live = true;
    const load = () =>
      listKept().then(
        ({ records, unreadable }) => live && setState({ records, unreadable, error: null }),
        (e: unknown) => live && setState({ records: [], unreadable: [], error: e instanceof Error ? e.message : String(e) }),
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
