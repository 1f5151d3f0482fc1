// Test-only: the golden predictions scikit-learn wrote in training/golden (the oracle).
import { readFileSync } from 'node:fs';
import { parseManifest, type Manifest } from '@/domain/manifest';

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

/** The committed manifest, parsed as the app parses it. */
export function readManifest(): Manifest {
  return parseManifest(JSON.parse(readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8')));
}

/** A committed model file's bytes, as the engine's fetch would return them. */
export async function readModelBytes(file: string): Promise<ArrayBuffer> {
  const b = readFileSync(new URL(`public/models/${file}`, repoRoot));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
