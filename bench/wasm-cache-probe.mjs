// When does this Chromium keep a WebAssembly module's compiled code between visits?
//
// `node bench/wasm-cache-probe.mjs` (WAIT=ms after the run, default 6000). Not part of
// `npm run bench`: it answers one question about the browser, not about the app. The app's
// repeat visit compiles the runtime's functions lazily every time (the trace in the bench's
// repeat-visit row); this probe shows why, on a module small enough to reason about.
//
// A generated module (about 450 KB: one or two hot functions, 150 cold ones) is compiled
// streaming (`WebAssembly.instantiateStreaming(fetch(...))`) in a dedicated worker, as the
// app's runtime would be, from a server that sends Last-Modified, an ETag and max-age. Its hot
// functions run until V8 optimises them; the tab then stays open WAIT ms. A second tab of the
// same profile compiles it again. Chromium's trace says whether the first tab wrote the code
// to the cache (`v8.wasm.cachedModule`) and whether the second one used it
// (`v8.wasm.moduleCacheHit`). Each case runs in a fresh profile, with V8 flags as given.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs } from './lib.mjs';
import { traceWhile } from './wasm-trace.mjs';

const WAIT = Number(process.env.WAIT ?? 6000);

const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const sized = (body) => [...leb(body.length), ...body];

/** A module exporting `hot0..hot{hot-1}`: (i32) -> i32, each a loop of 300 dependent steps; plus 150 functions never called. */
export function probeModule(hot) {
  const cold = 150;
  const count = hot + cold;
  const hotBody = () => {
    const b = [1, 1, 0x7f, 0x03, 0x40]; // one i32 local; loop
    for (let k = 0; k < 300; k++) b.push(0x20, 1, 0x20, 0, 0x6a, 0x41, (0x1f + k) & 0x3f, 0x6c, 0x41, 7, 0x73, 0x21, 1);
    b.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x20, 1, 0x0b); // n -= 1; br_if; end; return acc
    return sized(b);
  };
  const coldBody = () => sized([0, ...Array.from({ length: 1000 }, () => [0x41, 0, 0x1a]).flat(), 0x41, 0, 0x0b]);
  const names = Array.from({ length: hot }, (_, i) => [...sized([...Buffer.from(`hot${i}`)]), 0, ...leb(i)]);
  return Buffer.from([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]),
    ...section(3, [...leb(count), ...Array(count).fill(0)]),
    ...section(7, [...leb(hot), ...names.flat()]),
    ...section(10, [...leb(count), ...Array.from({ length: hot }, hotBody).flat(), ...Array.from({ length: cold }, coldBody).flat()]),
  ]);
}

const page = `<!doctype html><title>probe</title><script>
const worker = new Worker(URL.createObjectURL(new Blob([\`onmessage = async (e) => {
  const { instance } = await WebAssembly.instantiateStreaming(fetch(e.data), {});
  let s = 0;
  for (let r = 0; r < 40; r++) for (const f of Object.values(instance.exports)) s += f(1e5);
  postMessage(s);
};\`], { type: 'text/javascript' })));
worker.onmessage = () => { document.title = 'done'; };
worker.postMessage(new URL('/probe.wasm', location.href).href);
</script>`;

async function visit(context, url) {
  const tab = await context.newPage();
  const { events } = await traceWhile(context, tab, async () => {
    await tab.goto(url);
    await tab.waitForFunction(() => document.title === 'done', null, { timeout: 60_000 });
    await tab.waitForTimeout(WAIT);
  });
  await tab.close();
  const end = (e) => (e.ts + (e.dur ?? 0)) / 1000;
  const tierUps = events.filter((e) => e.name === 'wasm.TopTierCompilation').map(end);
  const written = events.filter((e) => e.name === 'v8.wasm.cachedModule').map(end);
  return {
    tierUps: tierUps.length,
    lazy: events.filter((e) => e.name === 'wasm.CompileLazy').length,
    written: written.length > 0,
    writtenAfter: written.length && tierUps.length ? Math.round(Math.min(...written) - Math.max(...tierUps)) : null,
    hit: events.some((e) => e.name === 'v8.wasm.moduleCacheHit'),
  };
}

async function probe({ hot, flags }) {
  const wasm = probeModule(hot);
  const modified = new Date().toUTCString();
  const server = createServer((req, res) => {
    const isWasm = req.url.startsWith('/probe.wasm');
    res.writeHead(200, {
      'content-type': isWasm ? 'application/wasm' : 'text/html',
      'last-modified': modified,
      etag: '"probe"',
      'cache-control': 'max-age=3600',
    });
    res.end(isWasm ? wasm : page);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const dir = mkdtempSync(join(tmpdir(), 'wasm-cache-'));
  const args = [...chromiumArgs, ...(flags ? [`--js-flags=${flags}`] : [])];
  const context = await chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
  try {
    const first = await visit(context, url);
    const second = await visit(context, url);
    return { first, second };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    server.close();
  }
}

const cases = [
  { hot: 1, flags: '' },
  { hot: 2, flags: '' },
  { hot: 1, flags: '--wasm-caching-threshold=1' },
  { hot: 2, flags: '--wasm-caching-threshold=1' },
  { hot: 2, flags: '--wasm-caching-threshold=1 --wasm-caching-timeout-ms=0' },
];
const version = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
console.log(`${version}: wasm code cache, module compiled streaming in a worker; tab kept open ${WAIT} ms after the run`);
for (const c of cases) {
  const { first, second } = await probe(c);
  const wrote = first.written ? `written ${first.writtenAfter} ms after the last tier-up` : 'not written';
  const next = second.hit
    ? `second tab: from the cache (${second.lazy} functions compiled lazily)`
    : `second tab: compiled again (${second.lazy} lazily)`;
  console.log(`- ${c.hot} hot function(s), V8 flags ${c.flags || '(none)'}: ${first.tierUps} optimised; ${wrote}; ${next}`);
}
