import type * as Ort from 'onnxruntime-web';
import type { ModelEntry } from '@/domain/manifest';
import { toVector, type Values } from '@/domain/to-vector';
import type { ModelPrediction } from '@/inference/protocol';
import { verifyChecksum } from './checksum';
import { explainedError } from './runtime-errors';

type OrtModule = typeof Ort;

/**
 * How every session is made. No graph optimisation: these graphs (tree ensembles, a logistic
 * regression with its scaling) gain nothing at run time from onnxruntime's passes, and running
 * the passes made the first view's sessions about 40 ms slower on a cold start (each pass's
 * code is compiled from WebAssembly on its first call, on the worker's thread). The golden
 * tests create their sessions with these options too.
 */
export const SESSION_OPTIONS: Ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' };

/**
 * The inference core, independent of where it runs: the worker uses it in the browser and
 * the Vitest golden tests use it in Node with the same onnxruntime-web engine.
 */
export class Engine {
  private sessions = new Map<string, Promise<Ort.InferenceSession>>();

  constructor(
    private readonly ort: OrtModule,
    private readonly fetchBytes: (file: string) => Promise<ArrayBuffer>,
  ) {}

  /** One session per model, created once; the bytes are checked against the manifest first. */
  session(model: ModelEntry): Promise<Ort.InferenceSession> {
    let s = this.sessions.get(model.id);
    if (!s) {
      s = (async () => {
        const bytes = await this.fetchBytes(model.file);
        await verifyChecksum(model.file, bytes, model.sha256);
        return this.ort.InferenceSession.create(new Uint8Array(bytes), SESSION_OPTIONS);
      })().catch((e: unknown) => {
        // A host that blocks WebAssembly: one sentence saying what it must allow.
        throw explainedError(e);
      });
      // A failed load is not cached, so a later call can retry.
      s.catch(() => this.sessions.delete(model.id));
      this.sessions.set(model.id, s);
    }
    return s;
  }

  /** Score a prepared [n, F] float32 matrix. */
  async runMatrix(model: ModelEntry, data: Float32Array, n: number): Promise<ModelPrediction> {
    const session = await this.session(model);
    const f = model.features.length;
    if (data.length !== n * f) throw new Error(`Expected ${n * f} values for ${n} rows of ${model.id}, got ${data.length}`);
    const input = new this.ort.Tensor('float32', data, [n, f]);
    const t0 = performance.now();
    const out = await session.run({ [model.input_name]: input });
    const runMs = performance.now() - t0;
    const probs = out[model.output_names.probabilities]?.data as Float32Array | undefined;
    const labels = out[model.output_names.label]?.data as BigInt64Array | undefined;
    if (!probs || !labels) throw new Error(`Model ${model.id} did not return ${model.output_names.probabilities} and ${model.output_names.label}`);
    const p1 = new Float32Array(n);
    const lab = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      p1[i] = probs[i * 2 + 1]!;
      lab[i] = Number(labels[i]!);
    }
    input.dispose();
    for (const t of Object.values(out)) t.dispose();
    return { modelId: model.id, p1, labels: lab, runMs };
  }

  /**
   * Run the model a few times on a throwaway matrix. WebAssembly starts on baseline code and
   * moves a hot function to optimised code only from its next call, and one session.run of a
   * batch chunk is one call: warmed up, even a batch's first chunks run on optimised code.
   */
  async warmUp(model: ModelEntry, rows = 512, runs = 4): Promise<void> {
    const data = new Float32Array(rows * model.features.length);
    for (let i = 0; i < runs; i++) await this.runMatrix(model, data, rows);
  }

  /** Score records (validated values by field name), in the model's own feature order. */
  async runRows(model: ModelEntry, rows: Values[]): Promise<ModelPrediction> {
    const names = model.features.map((x) => x.name);
    const data = new Float32Array(rows.length * names.length);
    rows.forEach((r, i) => toVector(r, names, data, i * names.length));
    return this.runMatrix(model, data, rows.length);
  }
}
