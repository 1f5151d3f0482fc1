// The Content-Security-Policy of the site, in one place: vite.config.ts puts it in the built
// index.html as a meta tag, the e2e tests serve the build with it as a header, and the README
// shows it for each host.

/** Directives both a meta tag and a header carry. */
export const cspDirectives = [
  "default-src 'none'",
  // 'wasm-unsafe-eval' lets the page compile WebAssembly (the model runtime); nothing else is evaluated.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  // Script sinks (innerHTML, script URLs) take only values from the app's own policies (src/trusted-types.ts).
  "require-trusted-types-for 'script'",
  "trusted-types prognos default",
];

/** Only a header can carry these (a meta tag's frame-ancestors is ignored). */
export const headerOnlyDirectives = ["frame-ancestors 'none'"];

export const metaPolicy = cspDirectives.join('; ');
export const headerPolicy = [...cspDirectives, ...headerOnlyDirectives].join('; ');

/** The other security headers the README recommends with it. */
export const otherHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Vite plugin: the policy as a meta tag in the built index.html. Build only: the dev server
 * injects inline scripts (React refresh) that the policy would block.
 */
export function cspMeta() {
  return {
    name: 'prognos-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: metaPolicy }, injectTo: 'head-prepend' }],
  };
}
