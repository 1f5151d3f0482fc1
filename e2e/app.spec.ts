import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { fillForm, readDomain, waitForModels } from './helpers';

const deviceDomain = readDomain('device');
const deviceFields = deviceDomain.fields;
const deviceSample = deviceDomain.seed!.sampleRequest;

test('a model file that does not match its checksum is refused with a clear error, and not used', async ({ page }) => {
  await page.route('**/models/device-rf.onnx', async (route) => {
    const res = await route.fetch();
    const body = Buffer.from(await res.body());
    body[body.length - 1]! ^= 0xff;
    await route.fulfill({ response: res, body });
  });
  await page.goto('#/device');
  await waitForModels(page);
  await expect(page.getByRole('alert').filter({ hasText: 'device-rf' })).toContainText('does not match the manifest');
  await fillForm(page, deviceFields, deviceSample);
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.locator('.result')).toContainText('cannot run on these values: unavailable');
  await page.getByText(/Compare all 3 models/).click();
  await expect(page.getByRole('row', { name: /device-rf/ })).toContainText('Not run: unavailable');
  await expect(page.getByTestId('p-device-rf')).toHaveCount(0);
  await expect(page.getByTestId('p-device-dt-seed')).toHaveText(/%/);
});

test('after one visit it works offline', async ({ page, context }) => {
  await page.goto('#/device');
  await waitForModels(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The page is controlled once the service worker has claimed it.
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await waitForModels(page);
  await fillForm(page, deviceFields, deviceSample);
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  await context.setOffline(false);
});

test('keyboard: the form can be filled and submitted without a mouse', async ({ page }) => {
  await page.goto('#/device');
  await waitForModels(page);
  await page.getByRole('textbox', { name: /^Metric 1(\s|$)/ }).focus();
  for (const [i, f] of deviceFields.entries()) {
    await page.keyboard.type(String(deviceSample[f.name]));
    // Tab to the next field; Enter in the last one submits the form.
    await page.keyboard.press(i < deviceFields.length - 1 ? 'Tab' : 'Enter');
  }
  await expect(page.getByTestId('probability')).toHaveText(/%/);
});

for (const path of ['#/heart', '#/device', '#/heart/batch', '#/models', '#/integration']) {
  test(`no accessibility violations (axe, WCAG 2 A/AA) on ${path}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByText('Loading the models')).toHaveCount(0, { timeout: 30_000 });
    if (path === '#/heart') {
      await page.getByRole('button', { name: /^Woman, 58/ }).click();
      await expect(page.getByTestId('probability')).toHaveText(/%/);
    }
    if (path === '#/models') await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
  });
}
