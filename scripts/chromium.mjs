// Which Chromium the end-to-end tests drive. Shared by playwright.config.ts and
// scripts/test-deps.mjs, so the check before the tests and the tests agree.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when `file` is a file this process may execute. */
export function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or undefined. */
export function which(name, env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The system's Chromium: the first `chromium` on PATH (Debian's `/usr/bin/chromium`).
 * Snap's confined Chromium is left out: Playwright's own browser is used there instead.
 */
export function systemChromium(env = process.env) {
  const found = which('chromium', env);
  return found && !found.startsWith('/snap/') ? found : undefined;
}

/**
 * The executable to hand to Playwright: CHROMIUM_PATH when set, else the system's Chromium,
 * else undefined (Playwright's own browser, from `npx playwright install chromium`).
 */
export function chromiumExecutable(env = process.env) {
  return env.CHROMIUM_PATH || systemChromium(env);
}

/**
 * Chromium features turned off for every browser the tests and the bench start. Chromium 156's
 * headless windows load the omnibox popup's WebUI (chrome://omnibox-popup.top-chrome, and its AI
 * mode variant) in a renderer of their own for each new browser context: 0.3-0.55 s of processor
 * time, during the page's first second, on a 2-core machine (bench/tmp traces, 2026-12-06). A
 * person's browser has loaded its own once, at start-up, not once per page: left on, it would
 * sit inside every cold start the bench measures and every end-to-end test.
 */
export const disabledFeatures = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/** The switches of every Chromium the tests and the bench start; `moreDisabled` joins the one --disable-features (Chromium reads only one). */
export function chromiumArgs(moreDisabled = []) {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-features=${[...disabledFeatures, ...moreDisabled].join(',')}`,
  ];
}
