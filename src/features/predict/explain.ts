import type { FieldSpec } from '@/domain/field-spec';
import type { ModelEntry } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';
import type { Inference } from '@/inference/client';

export interface Contribution {
  name: string;
  label: string;
  /** P(class 1) with the actual values minus P(class 1) with this input set to the training median. */
  delta: number;
  median: number;
}

/**
 * A simple, model-agnostic explanation: how much the probability moves when one input at
 * a time is replaced by its training median. Only the inputs the model reads (`read`) are
 * listed. All variants go to the worker in one call; `base` is P(class 1) for `row`.
 */
export async function explain(
  inference: Pick<Inference, 'predict'>,
  model: ModelEntry,
  row: Values,
  base: number,
  fields: readonly FieldSpec[],
  read: readonly string[],
  signal?: AbortSignal,
): Promise<Contribution[]> {
  const listed = model.features.filter((f) => read.includes(f.name));
  const variants = listed.map((f) => ({ ...row, [f.name]: f.median }));
  const [v] = await inference.predict([model.id], variants, { signal });
  return listed
    .map((f, i) => ({
      name: f.name,
      label: fields.find((x) => x.name === f.name)?.label ?? f.name,
      delta: base - v!.p1[i]!,
      median: f.median,
    }))
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
}
