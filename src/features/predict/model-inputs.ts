import { inputsRead, type DomainSpec } from '@/domain/domain-spec';
import type { ModelEntry } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';

/** Which of a model's inputs the form must give, and the full row its graph takes. */

/** Names of the inputs the model reads that are blank (in declaration order of the model's features). */
export function missingInputs(domain: Pick<DomainSpec, 'modelReads'>, model: ModelEntry, values: Values): string[] {
  return inputsRead(
    domain,
    model.id,
    model.features.map((f) => f.name),
  ).filter((n) => values[n] === undefined);
}

/** The message at a blank field that the model shown first reads. */
export function blankMessage(label: string, model: Pick<ModelEntry, 'title'>): string {
  return `Enter ${label}: ${model.title}, the model shown first, reads it.`;
}

/** The inputs the model reads (its `reads`, else all its features), as a set of names. */
export function readSet(domain: Pick<DomainSpec, 'modelReads'>, model: ModelEntry): ReadonlySet<string> {
  return new Set(
    inputsRead(
      domain,
      model.id,
      model.features.map((f) => f.name),
    ),
  );
}

/**
 * The row for the model's graph: the values given, and for an input the model takes but
 * does not read (declared in its entry's `reads`), its training median; it changes nothing (a
 * test runs the model to prove it), the graph just needs a number there.
 */
export function completeRow(domain: Pick<DomainSpec, 'modelReads'>, model: ModelEntry, values: Values): Values {
  const read = readSet(domain, model);
  const row: Values = {};
  for (const f of model.features) {
    const v = values[f.name];
    if (v !== undefined) row[f.name] = v;
    else if (!read.has(f.name)) row[f.name] = f.median;
  }
  return row;
}

/** "death during follow-up of about 4 months, as in the study", or the positive class's name. */
export function outcomeWords(domain: Pick<DomainSpec, 'outcome'>, model: ModelEntry): string {
  return domain.outcome?.positive ?? model.class_labels[1];
}
