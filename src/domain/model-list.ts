import type { DomainId, Manifest, ModelEntry, TopKFigures } from './manifest';

/*
 * What the views ask of the model list, apart from its schema (manifest.ts), so that a view
 * reading a model list the worker has already checked loads no schema code.
 */

export const metricNames = ['roc_auc', 'pr_auc', 'mcc', 'f1', 'accuracy', 'precision', 'sensitivity', 'specificity', 'flag_rate'] as const;
export type MetricName = (typeof metricNames)[number];

export type ModelInput = 'fields' | 'history';

/** A `caught_within_<days>_days` figure, when training wrote it. */
export function caughtWithin(f: TopKFigures, days: number): number | null {
  const v = (f as Record<string, unknown>)[`caught_within_${days}_days`];
  return typeof v === 'number' ? v : null;
}

/**
 * What a model reads: the entry's `input` when training wrote it, else what the domain's
 * declaration says (`historyIds`: its models with `"input": "history"`), else fields.
 */
export function inputOf(m: Pick<ModelEntry, 'input' | 'id'>, historyIds: readonly string[] = []): ModelInput {
  return m.input ?? (historyIds.includes(m.id) ? 'history' : 'fields');
}

/** A domain's models that read `input` (default: one row's fields, the form's and batch view's). */
export function modelsOf(manifest: Manifest, domain: DomainId, input: ModelInput = 'fields', historyIds: readonly string[] = []): ModelEntry[] {
  return manifest.models.filter((m) => m.domain === domain && inputOf(m, historyIds) === input);
}

export function defaultModel(manifest: Manifest, domain: DomainId): ModelEntry {
  const ms = modelsOf(manifest, domain);
  const d = ms.find((m) => m.default) ?? ms[0];
  if (!d) throw new Error(`manifest.json has no model for ${domain}`);
  return d;
}

/** The decision rule used everywhere in the app. */
export function isPositive(p1: number, threshold: number): boolean {
  return p1 >= threshold;
}
