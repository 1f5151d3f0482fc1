import type { ReactNode } from 'react';
import type { Inference } from './client';
import { InferenceContext } from './inference-context';

/** Gives the views below it their inference client (main.tsx: the browser's; tests: a fake). */
export function InferenceProvider({ client, children }: { client: Inference; children: ReactNode }) {
  return <InferenceContext value={client}>{children}</InferenceContext>;
}
