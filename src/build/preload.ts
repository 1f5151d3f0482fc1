import type { Plugin, ResolvedConfig } from 'vite';

/**
 * A preload of the WebAssembly runtime at the top of index.html, so that its download (the
 * largest of the first view) starts while the HTML is parsed. The page's own fetch of the
 * same URL (src/inference/client.ts) picks it up and streams it to the worker: a worker
 * cannot use the page's preloads, so the worker never requests it a second time. Low
 * priority: the app's own scripts still come first (measured: the preload at high priority
 * delayed them and gained nothing).
 */
export function preloadFirstView(pattern = /ort-wasm-simd-threaded[^/]*\.wasm$/): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'prognos-preload',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // The app's page only: launch.html (the SMART launch) redirects at once and runs no model.
        if (!ctx.filename.endsWith('index.html')) return [];
        const runtime = Object.keys(ctx.bundle ?? {}).find((f) => pattern.test(f));
        if (!runtime) return [];
        return [
          {
            tag: 'link',
            attrs: { rel: 'preload', href: `${config.base}${runtime}`, as: 'fetch', type: 'application/wasm', crossorigin: '', fetchpriority: 'low' },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}
