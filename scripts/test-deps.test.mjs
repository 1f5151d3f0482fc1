// The first and last steps of `npm test`: finding, installing or naming what the tests need.
// Every probe is injected, so these cases hold on any machine, with or without a browser.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumExecutable, disabledFeatures, systemChromium } from './chromium.mjs';
import { APT_PYTHON, downloadsAllowed, ensure, plan, skipped, summaryLines } from './test-deps.mjs';

/** A fresh Debian container as root: nothing installed, apt-get there. */
const bare = {
  chromiumPath: undefined,
  chromiumPathOk: false,
  systemChromium: undefined,
  playwrightChromium: false,
  python: true,
  root: true,
  aptGet: true,
  sudo: false,
  downloads: false,
};
const nonRoot = { ...bare, root: false };

describe('plan: which browser, what to install, or the one line that stops the run', () => {
  it('uses CHROMIUM_PATH when it is an executable, and names it when it is not', () => {
    expect(plan({ ...bare, chromiumPath: '/opt/c/chrome', chromiumPathOk: true, systemChromium: '/usr/bin/chromium' })).toMatchObject({
      browser: '/opt/c/chrome',
      apt: [],
      stop: undefined,
    });
    const p = plan({ ...bare, chromiumPath: '/nope', chromiumPathOk: false, systemChromium: '/usr/bin/chromium' });
    expect(p.apt).toEqual([]);
    expect(p.stop).toMatch(/^CHROMIUM_PATH=\/nope is not an executable file/);
  });

  it("prefers the system's Chromium, then Playwright's", () => {
    expect(plan({ ...nonRoot, systemChromium: '/usr/bin/chromium', playwrightChromium: true }).browser).toBe('/usr/bin/chromium');
    expect(plan({ ...nonRoot, playwrightChromium: true }).browser).toBe("Playwright's Chromium");
  });

  it('installs with apt-get as root, the Python packages in the same call', () => {
    expect(plan(bare)).toMatchObject({ apt: ['chromium'], download: false, stop: undefined });
    expect(plan({ ...bare, python: false })).toMatchObject({ apt: ['chromium', ...APT_PYTHON], skipPython: undefined, stop: undefined });
    expect(plan({ ...bare, systemChromium: '/usr/bin/chromium', python: false }).apt).toEqual(APT_PYTHON);
  });

  it("downloads Playwright's browser where there is no root apt-get and downloads are allowed", () => {
    expect(plan({ ...nonRoot, aptGet: false, downloads: true })).toMatchObject({ download: true, apt: [], stop: undefined });
    expect(plan({ ...bare, aptGet: false, downloads: true })).toMatchObject({ download: true, apt: [] });
    // Root with apt-get: Debian's chromium, even when downloads are allowed.
    expect(plan({ ...bare, downloads: true })).toMatchObject({ download: false, apt: ['chromium'] });
  });

  it('otherwise stops with one line naming the exact command for this user', () => {
    const stop = (f) => plan(f).stop;
    expect(stop({ ...nonRoot, sudo: true })).toMatch(/Run `sudo apt-get update && sudo apt-get install -y chromium`, then npm test again\.$/);
    expect(stop(nonRoot)).toMatch(/Run as root `apt-get update && apt-get install -y chromium`, then npm test again\.$/);
    expect(stop({ ...nonRoot, aptGet: false })).toMatch(/Run `npx playwright install chromium`, then npm test again\.$/);
    for (const f of [nonRoot, { ...nonRoot, sudo: true }, { ...nonRoot, aptGet: false }]) expect(stop(f)).not.toContain('\n');
  });

  it('skips the Python tests, with the reason and the command, unless they are required', () => {
    const p = plan({ ...nonRoot, sudo: true, systemChromium: '/usr/bin/chromium', python: false });
    expect(p.stop).toBeUndefined();
    expect(p.skipPython).toBe(
      '/usr/bin/python3 lacks scikit-learn or onnx. Run `sudo apt-get update && sudo apt-get install -y python3-sklearn python3-onnx python3-pandas`',
    );
    const required = plan({ ...nonRoot, systemChromium: '/usr/bin/chromium', python: false }, { requirePython: true });
    expect(required.stop).toMatch(/training tests need scikit-learn and onnx under \/usr\/bin\/python3\. Run as root `apt-get update/);
    // The browser's line comes first: one message only.
    expect(plan({ ...nonRoot, python: false }, { requirePython: true }).stop).toMatch(/^no Chromium/);
  });
});

describe('downloadsAllowed', () => {
  it('follows PROGNOS_BROWSER_DOWNLOAD, then PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD, then the absence of apt-get', () => {
    expect(downloadsAllowed({}, false)).toBe(true);
    expect(downloadsAllowed({}, true)).toBe(false);
    expect(downloadsAllowed({ PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }, false)).toBe(false);
    expect(downloadsAllowed({ PROGNOS_BROWSER_DOWNLOAD: '1' }, true)).toBe(true);
    expect(downloadsAllowed({ PROGNOS_BROWSER_DOWNLOAD: '0' }, false)).toBe(false);
  });
});

describe('ensure: what a run prints and does', () => {
  /** Runs ensure() with probes that return `before`, then `after` once something was installed. */
  async function run(before, after = before, { ok = true, requirePython = false } = {}) {
    const lines = [];
    const calls = [];
    let probes = 0;
    const code = await ensure({
      probe: async () => (probes++ === 0 ? before : after),
      run: (command, args) => {
        calls.push([command, ...args].join(' '));
        return { ok, tail: ok ? '' : 'E: Unable to locate package chromium' };
      },
      log: (line) => lines.push(line),
      requirePython,
    });
    return { code, lines, calls };
  }

  it('non-root, no apt-get, no downloads: exit 1 and one line, nothing run', async () => {
    const r = await run({ ...nonRoot, aptGet: false });
    expect(r).toEqual({ code: 1, lines: [expect.stringContaining('Run `npx playwright install chromium`')], calls: [] });
  });

  it('root with apt-get: one line saying so, then apt-get update and install', async () => {
    const r = await run({ ...bare, python: false }, { ...bare, systemChromium: '/usr/bin/chromium' });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'npm test: installing chromium python3-sklearn python3-onnx python3-pandas with apt-get (first run only; takes a minute or two)',
    ]);
    expect(r.calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium python3-sklearn python3-onnx python3-pandas']);
  });

  it('apt-get fails: its last lines, then one line naming the command', async () => {
    const r = await run(bare, bare, { ok: false });
    expect(r.code).toBe(1);
    expect(r.calls).toEqual(['apt-get update -qq']);
    expect(r.lines.at(-1)).toBe(
      'npm test: apt-get could not install chromium (its output is above). Run `apt-get update && apt-get install -y chromium`, then npm test again.',
    );
  });

  it('downloads allowed: one line, then npx playwright install chromium', async () => {
    const before = { ...nonRoot, aptGet: false, downloads: true };
    const r = await run(before, { ...before, playwrightChromium: true });
    expect(r).toEqual({ code: 0, lines: [expect.stringMatching(/downloading Playwright's/)], calls: ['npx playwright install chromium'] });
  });

  it('everything there: one line, nothing run; Python missing is a skip, not a failure', async () => {
    expect(await run({ ...nonRoot, systemChromium: '/usr/bin/chromium' })).toEqual({
      code: 0,
      lines: ['npm test: end-to-end tests use /usr/bin/chromium; Python training tests will run.'],
      calls: [],
    });
    const r = await run({ ...nonRoot, systemChromium: '/usr/bin/chromium', python: false });
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      expect.stringMatching(/Python training tests will be skipped: \/usr\/bin\/python3 lacks scikit-learn or onnx\. Run as root `apt-get/),
    ]);
    expect((await run({ ...nonRoot, systemChromium: '/usr/bin/chromium', python: false }, undefined, { requirePython: true })).code).toBe(1);
  });
});

describe('summary: the closing lines of a passing run', () => {
  const all = { python: true, dataDir: '/data', unitData: true, e2eData: true, cores: 2 };

  it('says nothing was skipped, or lists each skipped part with why and how to run it', () => {
    expect(summaryLines(skipped(all))).toEqual(['npm test: all steps passed; nothing was skipped.']);
    const lines = summaryLines(skipped({ ...all, python: false, dataDir: undefined, unitData: false, e2eData: false }));
    expect(lines[0]).toBe('npm test: all steps passed; skipped 3 parts:');
    expect(lines[1]).toMatch(
      /^ {2}- Python training tests \(npm run test:py\): \/usr\/bin\/python3 lacks scikit-learn or onnx; to run them: apt-get install -y python3-sklearn/,
    );
    expect(lines[2]).toMatch(/streams the full device file.*DATA_DIR is not set; to run it: DATA_DIR=/);
    expect(lines[3]).toMatch(/the full device file scores in one go.*DATA_DIR is not set/);
  });
});

describe('chromium.mjs: the browser playwright.config.ts hands to Playwright', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-chromium-'));
  const exe = join(dir, 'chromium');
  writeFileSync(exe, '#!/bin/sh\n');
  chmodSync(exe, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("CHROMIUM_PATH first (empty means unset), then chromium on PATH, else Playwright's own", () => {
    expect(chromiumExecutable({ CHROMIUM_PATH: '/opt/c/chrome', PATH: dir })).toBe('/opt/c/chrome');
    expect(chromiumExecutable({ CHROMIUM_PATH: '', PATH: dir })).toBe(exe);
    expect(systemChromium({ PATH: `/nonexistent:${dir}` })).toBe(exe);
    expect(chromiumExecutable({ PATH: '/nonexistent' })).toBeUndefined();
  });
});

describe('chromium.mjs: the switches of every Chromium the tests and the bench start', () => {
  it("one --disable-features, holding the shared features and a caller's own (Chromium reads only one)", () => {
    const flags = (args) => args.filter((a) => a.startsWith('--disable-features='));
    expect(flags(chromiumArgs())).toEqual([`--disable-features=${disabledFeatures.join(',')}`]);
    const more = flags(chromiumArgs(['LocalNetworkAccessChecks']));
    expect(more).toHaveLength(1);
    expect(more[0].slice('--disable-features='.length).split(',')).toEqual([...disabledFeatures, 'LocalNetworkAccessChecks']);
    expect(disabledFeatures).toContain('WebUIOmniboxPopup');
  });
});
