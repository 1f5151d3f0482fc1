/*
 * A record as the models read it. Apart from fields.ts (which holds the schemas), so that the
 * inference worker, which only turns checked records into rows, loads no schema code.
 */

/** Validated values by field name. */
export type Values = Record<string, number>;

/** Float32 input row in the model's feature order (from the manifest). */
export function toVector(values: Values, featureOrder: readonly string[], out?: Float32Array, offset = 0): Float32Array {
  const v = out ?? new Float32Array(featureOrder.length);
  featureOrder.forEach((name, i) => {
    const x = values[name];
    if (x === undefined || !Number.isFinite(x)) throw new Error(`Missing value for model input "${name}"`);
    v[offset + i] = x;
  });
  return v;
}
