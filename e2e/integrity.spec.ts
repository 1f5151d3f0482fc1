import { expect, test } from '@playwright/test';

// The bundle pins the sha256 of the model list and of the WebAssembly runtime at build time
// (src/build/pins.ts): a host that changes either gets a refusal in words, and no prediction.

test('a model list with its class labels swapped is refused, and nothing predicts', async ({ page }) => {
  await page.route('**/models/manifest.core.json', async (route) => {
    const res = await route.fetch();
    const text = (await res.text()).replace('["survival","dead"]', '["dead","survival"]');
    await route.fulfill({ response: res, body: text });
  });
  await page.goto('#/heart');
  const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await expect(alert).toContainText('The model list (models/manifest.core.json) is not the one this version of Prognos was built with');
  await expect(page.getByRole('button', { name: 'Predict' })).toBeDisabled();
});

test('a model file replaced together with its manifest entry is refused through the pinned model list', async ({ page }) => {
  let changedSha = '';
  await page.route('**/models/device-lr.onnx', async (route) => {
    const res = await route.fetch();
    const body = Buffer.from(await res.body());
    body[body.length - 1]! ^= 0xff;
    changedSha = (await import('node:crypto')).createHash('sha256').update(body).digest('hex');
    await route.fulfill({ response: res, body });
  });
  await page.route('**/models/manifest.core.json', async (route) => {
    const res = await route.fetch();
    const m = (await res.json()) as { models: { id: string; sha256: string }[] };
    // The attacker's manifest names the new file's checksum (computed from the same change).
    const original = m.models.find((x) => x.id === 'device-lr')!;
    original.sha256 = changedSha || original.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await route.fulfill({ response: res, body: JSON.stringify(m) });
  });
  await page.goto('#/device');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be loaded' })).toContainText(
    'is not the one this version of Prognos was built with',
  );
});

test('a changed WebAssembly runtime is refused before it runs, with a sentence saying so', async ({ page }) => {
  await page.route('**/*.wasm', async (route) => {
    const res = await route.fetch();
    const body = Buffer.from(await res.body());
    body[body.length - 100]! ^= 0x01;
    await route.fulfill({ response: res, body });
  });
  await page.goto('#/heart');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be loaded' })).toContainText(
    'The WebAssembly runtime is not the one this version of Prognos was built with',
    { timeout: 30_000 },
  );
});
