// Shared pieces of the benchmarks: a static server for dist/, a browser, gzip sizes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumArgs as sharedArgs, chromiumExecutable } from '../scripts/chromium.mjs';

export const root = new URL('..', import.meta.url).pathname;

/** `npm run bench -- --smoke` (or BENCH_SMOKE=1): tiny inputs, one run each; that every part runs, not how fast. */
export const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
export const dist = join(root, 'dist');

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

/**
 * A plain static server, like any static host. With `precompressed`, it serves a file's
 * `.br` (or `.gz`) copy written by the build when the browser accepts it, with
 * Content-Encoding, as docs/deploy.md asks of a host; without, no compression
 * (sizes are then computed separately).
 */
export function serveDist(port = 4175, { dir = dist, precompressed = false } = {}) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
    let file = join(dir, path || 'index.html');
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream' };
    let body = file;
    if (precompressed) {
      const accepts = String(req.headers['accept-encoding'] ?? '');
      const encoding = [
        ['br', '.br'],
        ['gzip', '.gz'],
      ].find(([e, ext]) => accepts.includes(e) && existsSync(file + ext));
      headers.vary = 'Accept-Encoding';
      if (encoding) {
        headers['content-encoding'] = encoding[0];
        body = file + encoding[1];
      }
    }
    res.writeHead(200, headers);
    res.end(readFileSync(body));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${port}/` })));
}

export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

/** Chromium's switches (scripts/chromium.mjs: shared with the end-to-end tests). */
export const chromiumArgs = sharedArgs();
const executablePath = () => chromiumExecutable();

export function launch() {
  return chromium.launch({ executablePath: executablePath(), args: chromiumArgs });
}

/** A browser with a profile on disk (service worker, HTTP cache and code cache kept between tabs). */
export function launchPersistent(dir) {
  return chromium.launchPersistentContext(dir, { executablePath: executablePath(), args: chromiumArgs });
}

/** Bytes a host serving dist/'s pre-compressed copies sends for a file: its .br, else the file itself. */
export function brotliSize(urlPath, dir = dist) {
  const file = join(dir, urlPath.replace(/^\/+/, '') || 'index.html');
  if (!existsSync(file)) return 0;
  return statSync(existsSync(file + '.br') ? file + '.br' : file).size;
}

const gzCache = new Map();
/** gzip -6 size of a file of dist/, as a static host with compression would send it. */
export function gzipSize(urlPath) {
  const file = join(dist, urlPath.replace(/^\/+/, '') || 'index.html');
  if (!existsSync(file)) return 0;
  if (!gzCache.has(file)) gzCache.set(file, gzipSync(readFileSync(file), { level: 6 }).length);
  return gzCache.get(file);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Resolves once the page's file input is enabled (its view has its model), within 30 s. */
export function fileInputEnabled(page) {
  return page.waitForFunction(
    () => {
      const el = document.querySelector('input[type=file]');
      return el && !el.disabled;
    },
    null,
    { timeout: 30_000 },
  );
}
