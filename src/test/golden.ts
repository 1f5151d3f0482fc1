// Test-only: the golden predictions scikit-learn wrote in training/golden (the oracle).
import { readFileSync } from 'node:fs';

export interface Golden {
  model: string;
  features: string[];
  /** Source row index in the CSV (0-based data rows). */
  rows: number[];
  inputs: number[][];
  labels: number[];
  probabilities: [number, number][];
}

export const repoRoot = new URL('../../', import.meta.url);

export function readGolden(modelId: string): Golden {
  return JSON.parse(readFileSync(new URL(`training/golden/${modelId}.json`, repoRoot), 'utf8')) as Golden;
}
