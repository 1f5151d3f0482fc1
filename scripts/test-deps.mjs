#!/usr/bin/env node
// What `npm test` needs beyond node_modules: a Chromium for the end-to-end tests and, for the
// training tests, Debian's scikit-learn and onnx under /usr/bin/python3.
//
//   node scripts/test-deps.mjs                   first step of `npm test`: find, else install, else stop
//   node scripts/test-deps.mjs --require-python  the same, but missing Python packages stop the run (.ci/run)
//   node scripts/test-deps.mjs summary           last step of `npm test`: what was skipped and why
//
// Browser: CHROMIUM_PATH, else `chromium` on PATH (Debian's /usr/bin/chromium), else Playwright's
// own. When none is found it is installed where this machine can: as root with apt-get
// (`apt-get install chromium`), or else by `npx playwright install chromium` where Playwright
// downloads are allowed. Otherwise the run stops with one line naming the command to run.
// Playwright downloads are allowed when PROGNOS_BROWSER_DOWNLOAD=1, refused when it is 0 or when
// PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set, and otherwise allowed only where there is no apt-get
// (on Debian, Debian's chromium is the browser; Playwright's CDN may be unreachable there).
// Python packages: installed with the browser as root with apt-get; otherwise the training tests
// are skipped (training/run-tests.sh says so) and the summary repeats it.
//
// plan() and skipped() are pure; the probes and installers are injected so tests can fake them.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutableFile, systemChromium, which } from './chromium.mjs';

export const PYTHON = '/usr/bin/python3';
/** Exactly what training/run-tests.sh checks before running the Python tests. */
export const PYTHON_IMPORTS = 'import sklearn, onnx';
export const APT_BROWSER = ['chromium'];
export const APT_PYTHON = ['python3-sklearn', 'python3-onnx', 'python3-pandas'];
export const PLAYWRIGHT_INSTALL = 'npx playwright install chromium';
const PREFIX = 'npm test:';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Facts
 * @property {string | undefined} chromiumPath  CHROMIUM_PATH, when set and not empty
 * @property {boolean} chromiumPathOk           CHROMIUM_PATH is an executable file
 * @property {string | undefined} systemChromium `chromium` on PATH
 * @property {boolean} playwrightChromium       Playwright's own Chromium launches
 * @property {boolean} python                   /usr/bin/python3 imports scikit-learn and onnx
 * @property {boolean} root
 * @property {boolean} aptGet                   apt-get is on PATH
 * @property {boolean} sudo                     sudo is on PATH
 * @property {boolean} downloads                Playwright may download its browser
 *
 * @typedef {object} Plan
 * @property {string | undefined} browser    the browser already there
 * @property {string[]} apt                  Debian packages to install (as root)
 * @property {boolean} download              run `npx playwright install chromium`
 * @property {string | undefined} stop       the one line to print before failing
 * @property {string | undefined} skipPython why the Python training tests will be skipped
 */

/** Whether Playwright may download its browser, from the environment and the presence of apt-get. */
export function downloadsAllowed(env, aptGet) {
  if (env.PROGNOS_BROWSER_DOWNLOAD === '1') return true;
  if (env.PROGNOS_BROWSER_DOWNLOAD === '0' || env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD) return false;
  return !aptGet;
}

/** "Run `<apt-get command line for packages>`", as this user would have to type it. */
export function aptCommand(packages, { root, sudo }) {
  const apt = !root && sudo ? 'sudo apt-get' : 'apt-get';
  return `${root || sudo ? 'Run' : 'Run as root'} \`${apt} update && ${apt} install -y ${packages.join(' ')}\``;
}

/**
 * What to do before the tests, from what the probes found.
 * @param {Facts} f
 * @param {{ requirePython?: boolean }} [options]
 * @returns {Plan}
 */
export function plan(f, { requirePython = false } = {}) {
  const canApt = f.root && f.aptGet;
  /** @type {Plan} */
  const p = { browser: undefined, apt: [], download: false, stop: undefined, skipPython: undefined };

  if (f.chromiumPath) {
    if (f.chromiumPathOk) p.browser = f.chromiumPath;
    else p.stop = `CHROMIUM_PATH=${f.chromiumPath} is not an executable file: point it at a Chromium or unset it, then run npm test again.`;
  } else if (f.systemChromium) p.browser = f.systemChromium;
  else if (f.playwrightChromium) p.browser = "Playwright's Chromium";
  else if (canApt) p.apt.push(...APT_BROWSER);
  else if (f.downloads) p.download = true;
  else {
    const command = f.aptGet ? aptCommand(APT_BROWSER, f) : `Run \`${PLAYWRIGHT_INSTALL}\``;
    p.stop = `no Chromium for the end-to-end tests (no CHROMIUM_PATH, no chromium on PATH, no Playwright browser). ${command}, then npm test again.`;
  }

  if (!f.python) {
    if (canApt) p.apt.push(...APT_PYTHON);
    else {
      const how = f.aptGet ? aptCommand(APT_PYTHON, f) : `They need Debian's ${APT_PYTHON.join(' ')}.`;
      p.skipPython = `${PYTHON} lacks scikit-learn or onnx. ${how}`;
      if (requirePython && !p.stop) {
        p.stop = f.aptGet
          ? `the training tests need scikit-learn and onnx under ${PYTHON}. ${aptCommand(APT_PYTHON, f)}`
          : `the training tests need Debian's ${APT_PYTHON.join(' ')} under ${PYTHON}.`;
      }
    }
  }
  return p;
}

/**
 * The tests that `npm test` skips on this machine, one line each with the reason and the remedy.
 * Mirrors the skip conditions of training/run-tests.sh, src/domain/csv-import.test.ts and e2e/batch.spec.ts.
 * @param {{ python: boolean, dataDir: string | undefined, unitData: boolean, e2eData: boolean, cores: number }} f
 * @returns {string[]}
 */
export function skipped(f) {
  const lines = [];
  if (!f.python) {
    lines.push(
      `Python training tests (npm run test:py): ${PYTHON} lacks scikit-learn or onnx; to run them: apt-get install -y ${APT_PYTHON.join(' ')}`,
    );
  }
  const where = f.dataDir === undefined ? 'DATA_DIR is not set' : `no device_failure.csv in DATA_DIR=${f.dataDir}`;
  if (!f.unitData) {
    lines.push(
      `unit test "streams the full device file": ${f.dataDir === undefined ? 'no ../shared/data and DATA_DIR is not set' : where}; to run it: DATA_DIR=/path/to/data npm test`,
    );
  }
  if (!f.e2eData) {
    lines.push(`end-to-end test "the full device file scores in one go": ${where}; to run it: DATA_DIR=/path/to/data npm test`);
  }
  if (f.cores < 2) {
    lines.push(`end-to-end test "on two or more cores a helper worker…": this machine has ${f.cores} core`);
  }
  return lines;
}

/** The closing lines of a passing `npm test`. */
export function summaryLines(skips) {
  if (skips.length === 0) return [`${PREFIX} all steps passed; nothing was skipped.`];
  return [`${PREFIX} all steps passed; skipped ${skips.length === 1 ? 'one part' : `${skips.length} parts`}:`, ...skips.map((s) => `  - ${s}`)];
}

// ---- probes and installers (real ones; tests pass fakes) ----

export function pythonReady() {
  const r = spawnSync(PYTHON, ['-c', PYTHON_IMPORTS], { stdio: 'ignore' });
  return r.status === 0;
}

/** Whether Playwright's own Chromium (its headless shell, as the tests use) starts. */
export async function playwrightLaunches() {
  try {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ headless: true, timeout: 30_000 });
    await browser.close();
    return true;
  } catch {
    return false; // not installed, or node_modules not there yet
  }
}

/** @returns {Promise<Facts>} */
export async function probe(env = process.env) {
  const chromiumPath = env.CHROMIUM_PATH || undefined;
  const system = chromiumPath ? undefined : systemChromium(env);
  const aptGet = which('apt-get', env) !== undefined;
  return {
    chromiumPath,
    chromiumPathOk: chromiumPath ? isExecutableFile(chromiumPath) : false,
    systemChromium: system,
    playwrightChromium: chromiumPath || system ? false : await playwrightLaunches(),
    python: pythonReady(),
    root: process.getuid?.() === 0,
    aptGet,
    sudo: which('sudo', env) !== undefined,
    downloads: downloadsAllowed(env, aptGet),
  };
}

/** Runs a command quietly; returns its exit status and the tail of its output. */
export function runQuiet(command, args) {
  const r = spawnSync(command, args, {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 20 * 60_000,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error.message) : ''}`;
  return { ok: r.status === 0, tail: output.trim().split('\n').slice(-15).join('\n') };
}

/**
 * Find, else install, else stop. Returns the exit code.
 * @param {{ probe: () => Promise<Facts>, run: (command: string, args: string[]) => { ok: boolean, tail: string }, log: (line: string) => void, requirePython?: boolean }} io
 */
export async function ensure({ probe, run, log, requirePython = false }) {
  const facts = await probe();
  const p = plan(facts, { requirePython });
  if (p.stop) {
    log(`${PREFIX} ${p.stop}`);
    return 1;
  }
  if (p.apt.length === 0 && !p.download) {
    log(
      `${PREFIX} end-to-end tests use ${p.browser}; ${p.skipPython ? `Python training tests will be skipped: ${p.skipPython}` : 'Python training tests will run.'}`,
    );
    return 0;
  }

  let failure;
  if (p.apt.length > 0) {
    log(`${PREFIX} installing ${p.apt.join(' ')} with apt-get (first run only; takes a minute or two)`);
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', ...p.apt],
    ]) {
      const r = run('apt-get', args);
      if (!r.ok) {
        failure = {
          tail: r.tail,
          line: `apt-get could not install ${p.apt.join(' ')}${r.tail ? ' (its output is above)' : ''}. ${aptCommand(p.apt, facts)}, then npm test again.`,
        };
        break;
      }
    }
  } else {
    log(`${PREFIX} no Chromium found; downloading Playwright's (${PLAYWRIGHT_INSTALL}, first run only)`);
    const r = run('npx', ['playwright', 'install', 'chromium']);
    if (!r.ok) {
      const command = facts.aptGet ? aptCommand(APT_BROWSER, facts) : `Run \`${PLAYWRIGHT_INSTALL}\` where downloads are allowed`;
      failure = {
        tail: r.tail,
        line: `Playwright could not download Chromium${r.tail ? ' (its output is above)' : ''}. ${command} or point CHROMIUM_PATH at a Chromium, then npm test again.`,
      };
    }
  }

  const after = await probe();
  const browser = after.chromiumPath || after.systemChromium || (after.playwrightChromium ? "Playwright's Chromium" : undefined);
  if (!browser) {
    if (failure?.tail) log(failure.tail);
    log(
      `${PREFIX} ${failure?.line ?? `Chromium is still missing after installing it. ${facts.aptGet ? aptCommand(APT_BROWSER, facts) : `Run \`${PLAYWRIGHT_INSTALL}\``}, then npm test again.`}`,
    );
    return 1;
  }
  if (!after.python) {
    const reason = failure ? `apt-get failed (${failure.tail.split('\n').at(-1)})` : `${PYTHON} still lacks scikit-learn or onnx`;
    if (requirePython) {
      log(`${PREFIX} the training tests need scikit-learn and onnx under ${PYTHON}: ${reason}. ${aptCommand(APT_PYTHON, facts)}`);
      return 1;
    }
    log(`${PREFIX} end-to-end tests use ${browser}; Python training tests will be skipped: ${reason}.`);
  }
  return 0;
}

export function summary(env = process.env) {
  const dataDir = env.DATA_DIR;
  const unitDir = dataDir ?? resolve(REPO, '../shared/data');
  return summaryLines(
    skipped({
      python: pythonReady(),
      dataDir,
      unitData: existsSync(`${unitDir}/device_failure.csv`),
      e2eData: Boolean(dataDir) && existsSync(`${dataDir}/device_failure.csv`),
      cores: cpus().length,
    }),
  );
}

async function main(argv) {
  if (argv[0] === 'summary') {
    for (const line of summary()) console.log(line);
    return 0;
  }
  return ensure({ probe, run: runQuiet, log: (line) => console.log(line), requirePython: argv.includes('--require-python') });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.log(`${PREFIX} could not check the test dependencies: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
