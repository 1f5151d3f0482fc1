import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { cspMeta } from './scripts/csp.mjs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative base: dist/ works from any folder of any static host.
  base: './',
  plugins: [
    react(),
    // The Content-Security-Policy as a meta tag in the built index.html (scripts/csp.mjs).
    cspMeta(),
    // Offline: a service worker precaches the app, the WebAssembly runtime and the models,
    // so after the first visit Prognos opens and predicts with no network at all.
    VitePWA({
      // A new version waits until the user agrees to reload (src/app/update-banner.tsx).
      registerType: 'prompt',
      // Registered by main.tsx once the models are loaded, so precaching never competes with the first prediction.
      injectRegister: null,
      manifest: {
        name: 'Prognos',
        short_name: 'Prognos',
        description: 'Heart-failure and device-failure predictions computed in your browser.',
        theme_color: '#1d4e89',
        background_color: '#f6f7f9',
        display: 'standalone',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,onnx,json}'],
        // The runtime is 14 MB uncompressed; the default limit (2 MB) would leave it out.
        maximumFileSizeToCacheInBytes: 20 * 1024 * 1024,
        navigateFallback: 'index.html',
        // The first install controls the open page at once (offline from the first visit); updates wait.
        clientsClaim: true,
      },
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1200 },
  preview: { port: 4173, strictPort: true },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.mjs'],
    testTimeout: 60_000,
  },
});
