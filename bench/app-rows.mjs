// The app part's rows of the bench table (bench/app.mjs measures them): the start, its stages,
// repeat visits and the throttled link, then warm use and the first view's bytes.

/** The stages of a start, in the order they happen, with the words the table uses. */
const STAGES = [
  ['html', 'HTML received'],
  ['main_script', 'main script evaluated'],
  ['first_paint', 'first contentful paint'],
  ['form_usable', 'form usable (inputs in the page)'],
  ['worker_started', 'inference worker started'],
  ['worker_script_evaluated', "worker's script evaluated"],
  ['load_message_handled', "worker handles the page's load message"],
  ['manifest_parsed', 'model list fetched and checked'],
  ['runtime_asked', 'runtime asked for by onnxruntime-web'],
  ['runtime_fetched', 'runtime fetched'],
  ['runtime_compiled', 'runtime compiled and instantiated'],
  ['integrity_checked', "runtime's sha256 checked"],
  ['sessions_created', "first view's sessions created"],
  ['examples_enabled', 'examples enabled'],
  ['first_probability', 'first probability'],
];

const ms = (x) => (typeof x === 'number' ? `${x.toFixed(0)} ms` : '–');
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;

/** The bench table's rows of the app part: its start, then its warm use and its bytes. */
export function appRows(a) {
  return [...startRows(a), ...warmAndBytesRows(a)];
}

/** Cold start, its stages, repeat visits and the throttled link. */
function startRows(a) {
  const rows = [];
  const base = a.base_cold_start_ms
    ? ` (base commit \`${a.base_commit.slice(0, 7)}\` in the same run: ${ms(a.base_cold_start_ms.median)}; ratio ${(a.cold_start_ms.median / a.base_cold_start_ms.median).toFixed(2)})`
    : '';
  rows.push([
    `Cold start: navigation to first probability (median of ${a.cold_start_ms.runs.length}, empty cache, localhost, no compression)`,
    `${ms(a.cold_start_ms.median)}${base}`,
    '<= 600 ms',
  ]);
  if (a.cold_start_stages_ms) {
    const b = a.base_cold_start_stages_ms;
    const cell = (k) => `${ms(a.cold_start_stages_ms[k])}${b ? ` / base ${ms(b[k])}` : ''}`;
    rows.push([
      `Cold start, stage by stage: when each ended, ms after navigation (median of ${a.cold_start_ms.runs.length}; this build${b ? ' / the base build, alternating in the same run; – where a build does not mark the stage' : ''})`,
      STAGES.map(([k, words]) => `${words} ${cell(k)}`).join('; '),
      'form usable <= 300 ms',
    ]);
  }
  if (a.repeat_visit_ms) {
    const st = a.repeat_visit_stages_ms;
    rows.push([
      `Repeat visit: navigation to first probability, one browser profile, service worker in control, every file from its cache (median of ${a.repeat_visit_ms.runs.length})`,
      `${ms(a.repeat_visit_ms.median)} (${STAGES.filter(([k]) => st[k] !== null)
        .map(([k, words]) => `${words} ${ms(st[k])}`)
        .join('; ')})`,
      '<= 250 ms',
    ]);
  }
  const w = a.repeat_visit_wasm;
  if (w) {
    const cache = w.cache_hit
      ? 'taken from the code cache'
      : w.cache_written
        ? 'written to the code cache, not yet taken'
        : 'not in the code cache (none written)';
    rows.push([
      "Repeat visit, one more visit traced (Chromium trace, v8.wasm): the runtime's compiled code; functions compiled lazily on first call, on the worker's thread; functions optimised (background threads)",
      `${cache}${w.controlled ? '' : ' (NOT controlled by the service worker)'}; ${w.lazy_compiled_functions} functions in ${w.lazy_compile_ms} ms; ${w.top_tier_functions} in ${w.top_tier_compile_ms} ms (streaming decode ${w.streaming_decode_ms} ms)`,
      'from the code cache',
    ]);
  }
  if (a.throttled_cold_start_ms) {
    rows.push([
      'Cold start on a throttled link (Chromium network emulation: 10 Mbit/s, 40 ms round trip; pre-compressed brotli served; median of 3)',
      ms(a.throttled_cold_start_ms.median),
      '<= 3.5 s',
    ]);
  }
  return rows;
}

/** Warm predictions, what-if curves and the first view's bytes. */
function warmAndBytesRows(a) {
  const rows = [];
  const n = a.warm_submit_to_render_ms.n;
  rows.push([
    `Warm: submit to result rendered, next frame (median / p95 of ${n})`,
    `${a.warm_submit_to_render_ms.median.toFixed(1)} / ${a.warm_submit_to_render_ms.p95.toFixed(1)} ms`,
    '<= 16 / 16 ms',
  ]);
  rows.push([
    `Warm: submit to result in the DOM (median / p95 of ${n}; the rest of the next-frame figure is the wait for the frame)`,
    `${a.warm_submit_to_dom_ms.median.toFixed(1)} / ${a.warm_submit_to_dom_ms.p95.toFixed(1)} ms`,
    '',
  ]);
  rows.push([
    `Warm: inference call, session.run of the selected model (median of ${n})`,
    `${a.warm_inference_call_ms.median.toFixed(3)} ms`,
    '<= 1 ms',
  ]);
  rows.push([
    "First view (until the form can predict), brotli (the build's .br files): everything / JavaScript (not the WebAssembly)",
    `${kb(a.first_view_brotli_bytes.total)} / ${kb(a.first_view_brotli_bytes.javascript)}`,
    '<= 2.7 MB / <= 200 KB',
  ]);
  if (a.what_if_after_result_ms) {
    rows.push([
      `What-if curves: result in the DOM to all curves computed, one batched call (median of ${a.what_if_after_result_ms.n}; the call itself ${a.what_if_call_ms.median.toFixed(1)} ms)`,
      `${a.what_if_after_result_ms.median.toFixed(1)} ms`,
      '<= 50 ms',
    ]);
  }
  rows.push(['First view (until the form can predict), gzip: everything', kb(a.first_view_gzip_bytes.total), '<= 4.5 MB']);
  rows.push(['First view, gzip: JavaScript (not the WebAssembly)', kb(a.first_view_gzip_bytes.javascript), '<= 250 KB']);
  rows.push([
    'First view plus the first result (charts load on demand), gzip: everything / JavaScript',
    `${kb(a.with_first_result_gzip_bytes.total)} / ${kb(a.with_first_result_gzip_bytes.javascript)}`,
    '',
  ]);
  return rows;
}
