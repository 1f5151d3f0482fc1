import { expect, test, type Page } from '@playwright/test';
import { headerPolicy, otherHeaders } from '../scripts/csp.mjs';
import { WASM_BLOCKED } from '@/inference/worker/runtime-errors';
import { fillForm, readDomain, readGolden, waitForBatch, waitForModels } from './helpers';

// The build served as a host following the README would serve it: the full policy as a
// header on every response (the page, its workers, the WebAssembly), and a report endpoint
// that catches violations from workers too. The service worker is blocked so that every
// request goes through these routes.
test.use({ serviceWorkers: 'block' });

const REPORT = '/__csp-report';

async function serveWithPolicy(page: Page, policy: string) {
  const reports: string[] = [];
  const seen: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === REPORT) {
      reports.push(route.request().postData() ?? '');
      return route.fulfill({ status: 204 });
    }
    const res = await route.fetch();
    await route.fulfill({
      response: res,
      headers: { ...res.headers(), 'content-security-policy': `${policy}; report-uri ${REPORT}`, ...otherHeaders },
    });
  });
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Trusted Type/i.test(m.text())) seen.push(m.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)), ...reports, ...seen];
}

test('under the full header policy, every view works with no policy violation', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await serveWithPolicy(page, headerPolicy);
  const heart = readDomain('heart');
  const golden = readGolden('heart-baseline');

  await page.goto('#/heart');
  await waitForModels(page);
  await fillForm(page, heart.fields, heart.presets[0]!.values);
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('p-heart-baseline').first()).toHaveText(/%/);

  await page.goto('#/device');
  await waitForModels(page);
  await page.goto('#/models');
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.goto('#/integration');
  await expect(page.getByRole('heading').first()).toBeVisible();

  await page.goto('#/heart/batch');
  await waitForBatch(page);
  const lines = [[...golden.features, 'DEATH_EVENT'].join(',')];
  for (let i = 0; i < 20; i++) lines.push([...golden.features.map((_, j) => golden.inputs[i]![j]), i % 2].join(','));
  await page
    .getByLabel('Choose a CSV or Parquet file')
    .setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
  await expect(page.getByTestId('batch-summary')).toHaveText(/20 rows read = 20 scored/);
  await page.waitForTimeout(1500); // evaluation charts
  await page.goto('#/device/batch');
  await waitForBatch(page);
  expect(await violations()).toEqual([]);
});

test('with WebAssembly blocked by the host, the page says in one sentence what the host must allow', async ({ page }) => {
  const violations = await serveWithPolicy(page, headerPolicy.replace(" 'wasm-unsafe-eval'", ''));
  await page.goto('#/heart');
  const alert = page.getByRole('alert').first();
  await expect(alert).toContainText(WASM_BLOCKED, { timeout: 30_000 });
  // One sentence, once, for all the models; not the runtime's own words.
  expect((await alert.textContent())!.split(WASM_BLOCKED)).toHaveLength(2);
  await expect(alert).not.toContainText('ASSERTIONS');
  // The violation detector of the other test sees this one.
  await expect.poll(violations).not.toEqual([]);
});
