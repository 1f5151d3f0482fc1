import { useSyncExternalStore } from 'react';
import { inference } from './client';

/** The engine's loading state for React components. */
export function useEngineStatus() {
  return useSyncExternalStore(inference.subscribe, inference.getStatus);
}
