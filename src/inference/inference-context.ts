import { createContext, useContext } from 'react';
import type { Inference } from './client';

/** The inference client of the tree below an InferenceProvider. */
export const InferenceContext = createContext<Inference | null>(null);

/** The inference client: from the nearest InferenceProvider (a test may provide a fake). */
export function useInference(): Inference {
  const client = useContext(InferenceContext);
  if (!client) throw new Error('useInference() needs an <InferenceProvider> above it');
  return client;
}
