import { inputsRead, type DomainSpec } from './domain-spec';
import type { ModelEntry } from './manifest';

/**
 * The inputs a model's graph takes but does not read (its `reads` in the declaration), each
 * with its training median: a file may lack their columns, and those rows are scored with the
 * median there, which changes no probability (src/inference/worker/model-reads.test.ts proves
 * the model ignores them).
 */
export function unreadInputs(domain: Pick<DomainSpec, 'modelReads'>, model: Pick<ModelEntry, 'id' | 'features'>): Map<string, number> {
  const read = new Set(
    inputsRead(
      domain,
      model.id,
      model.features.map((f) => f.name),
    ),
  );
  return new Map(model.features.filter((f) => !read.has(f.name)).map((f) => [f.name, f.median]));
}

/** For each column a file lacks: the models of the domain that read it (and so could not score the file). */
export function modelsNeeding(
  domain: Pick<DomainSpec, 'modelReads'>,
  models: readonly Pick<ModelEntry, 'id' | 'features'>[],
  absent: readonly string[],
): { column: string; models: string[] }[] {
  return absent.map((column) => ({
    column,
    models: models
      .filter((m) =>
        inputsRead(
          domain,
          m.id,
          m.features.map((f) => f.name),
        ).includes(column),
      )
      .map((m) => m.id),
  }));
}
