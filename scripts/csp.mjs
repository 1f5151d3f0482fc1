// The Content-Security-Policy of the site, in one place: vite.config.ts puts it in the built
// index.html as a meta tag, the e2e tests serve the build with it as a header, and the docs show
// it for each host between `<!-- csp:<host>:start -->` and `<!-- csp:<host>:end -->` markers,
// written from here:
//
//   node scripts/csp.mjs --write    rewrite every marked copy (README.md, docs/*.md)
//
// src/csp-copies.test.ts fails, naming the file, when a copy differs from what this writes.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  'trusted-types prognos default',
];

/** Only a header can carry these (a meta tag's frame-ancestors is ignored). */
export const headerOnlyDirectives = ["frame-ancestors 'none'"];

export const metaPolicy = cspDirectives.join('; ');
export const headerPolicy = [...cspDirectives, ...headerOnlyDirectives].join('; ');

/**
 * A policy that also lets the page fetch from the given origins: the FHIR server of the
 * host's health record and its SMART authorisation server's token endpoint (docs/deploy.md).
 * Only connect-src widens; nothing else changes.
 */
export function withConnectSources(policy, origins) {
  for (const o of origins) {
    const u = new URL(o);
    if (u.origin !== o.replace(/\/$/, '') || !/^https?:$/.test(u.protocol))
      throw new Error(`connect-src: "${o}" is not an origin (scheme://host[:port])`);
  }
  return origins.length ? policy.replace("connect-src 'self'", `connect-src 'self' ${origins.join(' ')}`) : policy;
}

/** PROGNOS_CONNECT_SRC at build: space-separated origins added to connect-src in the built pages. */
export function buildConnectSources(env = process.env) {
  return (env.PROGNOS_CONNECT_SRC ?? '').split(/\s+/).filter(Boolean);
}

/** The example the docs show for a host that lets the app read its record's FHIR server. */
export const exampleRecordOrigins = ['https://fhir.hospital.example', 'https://auth.hospital.example'];

/** The other security headers the docs recommend with it (docs/deploy.md). */
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
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: withConnectSources(metaPolicy, buildConnectSources()) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

const fence = (lang, lines) => ['```' + lang, ...lines, '```'].join('\n');

/** The header policy and the other headers, as each host's configuration writes them, by marker name. */
export function hostBlocks() {
  const headers = Object.entries({ 'Content-Security-Policy': headerPolicy, ...otherHeaders });
  return {
    headers: fence(
      '',
      headers.map(([k, v]) => `${k}: ${v}`),
    ),
    // `always` adds them to error pages too.
    nginx: fence('nginx', [...headers.map(([k, v]) => `add_header ${k} "${v}" always;`), 'types { application/wasm wasm; }']),
    caddy: fence('', ['header {', ...headers.map(([k, v]) => `  ${k} "${v}"`), '}']),
    apache: fence('apache', [...headers.map(([k, v]) => `Header always set ${k} "${v}"`), 'AddType application/wasm .wasm']),
    netlify: fence('', ['/*', ...headers.map(([k, v]) => `  ${k}: ${v}`)]),
    // A host whose record's FHIR server (and SMART token endpoint) the app may read.
    'fhir-header': fence('', [`Content-Security-Policy: ${withConnectSources(headerPolicy, exampleRecordOrigins)}`]),
  };
}

const MARKED = /<!-- csp:([a-z-]+):start -->\n([\s\S]*?)<!-- csp:([a-z-]+):end -->/g;

/** The marked copies in a text: name and content (without the marker lines). */
export function markedCopies(text) {
  return [...text.matchAll(MARKED)].map((m) => {
    if (m[1] !== m[3]) throw new Error(`csp marker csp:${m[1]}:start is closed by csp:${m[3]}:end`);
    return { name: m[1], content: m[2] };
  });
}

/** The text with every marked copy rewritten from hostBlocks(). */
export function withFreshCopies(text) {
  const blocks = hostBlocks();
  return text.replace(MARKED, (_all, name, _content, end) => {
    if (!(name in blocks)) throw new Error(`unknown csp block "${name}" (known: ${Object.keys(blocks).join(', ')})`);
    if (name !== end) throw new Error(`csp marker csp:${name}:start is closed by csp:${end}:end`);
    return `<!-- csp:${name}:start -->\n${blocks[name]}\n<!-- csp:${name}:end -->`;
  });
}

/** The documents that may hold copies, relative to the repository root. */
export function copyFiles(root) {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
}

/** Files (relative paths) whose marked copies differ from hostBlocks(). */
export function staleCopies(root) {
  return copyFiles(root).filter((f) => {
    const text = readFileSync(join(root, f), 'utf8');
    return withFreshCopies(text) !== text;
  });
}

/** Rewrite every marked copy; returns the files changed. */
export function writeCopies(root) {
  const changed = staleCopies(root);
  for (const f of changed) writeFileSync(join(root, f), withFreshCopies(readFileSync(join(root, f), 'utf8')));
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--write')) {
    console.error('usage: node scripts/csp.mjs --write   (rewrites the marked policy copies in README.md and docs/*.md)');
    process.exit(2);
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const changed = writeCopies(root);
  console.log(changed.length ? `csp: rewrote ${changed.join(', ')}` : 'csp: every marked copy is up to date');
}
