import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { cspMeta } from './scripts/csp.mjs';
import { defineConfig } from 'vitest/config';
import { cachedBrotli } from './src/build/brotli.ts';
import { domainSpecs } from './src/build/domain-specs.ts';
import { appIcons, manifestIcons } from './src/build/icons.ts';
import { modelCore } from './src/build/model-core.ts';
import { integrityPins } from './src/build/pins.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// Another public folder (models and all) for a build of a second deployment in e2e/update.spec.ts.
const publicDir = process.env.PROGNOS_PUBLIC_DIR ?? here('./public');
const manifestPath = `${publicDir}/models/manifest.json`;
// Pre-compressed copies next to each file, for hosts that serve them as they are (docs/deploy.md).
const compressible = /\.(html|css|js|mjs|json|webmanifest|svg|wasm|onnx)$/;

export default defineConfig({
  // Relative base: dist/ works from any folder of any static host.
  base: './',
  publicDir,
  // The sha256 of the model lists and of the runtime, pinned into the bundle (src/build/pins.ts).
  define: {
    __PROGNOS_PINS__: JSON.stringify(integrityPins(manifestPath, here('./node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'))),
  },
  plugins: [
    react(),
    domainSpecs(here('./domains')),
    appIcons(),
    modelCore(manifestPath),
    // The Content-Security-Policy as a meta tag in the built index.html (scripts/csp.mjs).
    cspMeta(),
    // Offline: a service worker precaches the app, the WebAssembly runtime and the models,
    // so after the first visit Prognos opens and predicts with no network at all.
    VitePWA({
      // A new version waits until the user agrees to reload (src/app/update-banner.tsx).
      registerType: 'prompt',
      // Registered by main.tsx a while after the models are loaded (idle, 2 s on), so precaching does not compete with a first prediction.
      injectRegister: null,
      manifest: {
        name: 'Prognos',
        short_name: 'Prognos',
        description: 'Heart-failure and device-failure predictions computed in your browser.',
        theme_color: '#1d4e89',
        background_color: '#f6f7f9',
        display: 'standalone',
        icons: manifestIcons(),
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,onnx,json,svg,png}'],
        // The runtime is 14 MB uncompressed; the default limit (2 MB) would leave it out.
        maximumFileSizeToCacheInBytes: 20 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The first install controls the open page at once (offline from the first visit); updates wait.
        clientsClaim: true,
      },
    }),
    compression({ include: compressible, threshold: 1024, algorithms: [defineAlgorithm('gzip', { level: 9 })], logLevel: 'silent' }),
    compression({
      include: compressible,
      threshold: 1024,
      algorithms: [defineAlgorithm(cachedBrotli(here('./node_modules/.cache/prognos-brotli')), {})],
      filename: '[path][base].br',
      logLevel: 'silent',
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  // The workers bundle the same domain list (getDomain in batch and fleet jobs).
  worker: { format: 'es', plugins: () => [domainSpecs(here('./domains'))] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    // launch.html: the SMART App Launch entry (src/launch.ts), served beside index.html.
    rollupOptions: { input: { main: here('./index.html'), launch: here('./launch.html') } },
  },
  preview: { port: 4173, strictPort: true },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.mjs'],
    testTimeout: 60_000,
  },
});
