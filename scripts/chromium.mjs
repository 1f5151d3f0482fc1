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
