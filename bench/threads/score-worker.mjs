// One scoring worker of bench/threads.mjs: onnxruntime-web's plain WebAssembly build, as the app
// loads it, with as many threads as it is told (more than one needs a cross-origin isolated page).
// It scores the rows it was given in chunks of `chunk`, once to warm up, then each time it is asked.
import * as ort from '/ort/ort.wasm.min.mjs';

self.onmessage = async (e) => {
  const { threads, features, x, chunk, model } = e.data;
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const session = await ort.InferenceSession.create(model);
  const data = new Float32Array(x);
  const rows = data.length / features;
  const p = new Float32Array(rows);
  const scoreAll = async () => {
    const t0 = performance.now();
    for (let i = 0; i < rows; i += chunk) {
      const n = Math.min(chunk, rows - i);
      const input = new ort.Tensor('float32', data.subarray(i * features, (i + n) * features), [n, features]);
      const out = await session.run({ [session.inputNames[0]]: input });
      const probs = out.probabilities.data;
      for (let r = 0; r < n; r++) p[i + r] = probs[r * 2 + 1];
    }
    return performance.now() - t0;
  };
  await scoreAll();
  self.postMessage({ ready: true, isolated: self.crossOriginIsolated });
  self.onmessage = async () => {
    const ms = await scoreAll();
    self.postMessage({ ms, p });
  };
};
