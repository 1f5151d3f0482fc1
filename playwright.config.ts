import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './scripts/chromium.mjs';

// CHROMIUM_PATH, else `chromium` on PATH (Debian's /usr/bin/chromium: Playwright may not download
// its own browser here), else Playwright's own. scripts/test-deps.mjs checks the same before the tests.
const executablePath = chromiumExecutable();

// E2E_PORT: another port when several checkouts share a machine (the server is reused when up).
const port = Number(process.env.E2E_PORT ?? 4173);
// The test FHIR server (e2e/fhir/server.mjs: Medplum's FHIR router, in memory, and a SMART stand-in).
export const fhirPort = Number(process.env.E2E_FHIR_PORT ?? 4319);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath, args: chromiumArgs() },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: { executablePath, args: chromiumArgs() } } }],
  webServer: [
    {
      // The production build, as a static host would serve it.
      command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `node e2e/fhir/server.mjs ${fhirPort}`,
      url: `http://127.0.0.1:${fhirPort}/fhir/.well-known/smart-configuration`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
