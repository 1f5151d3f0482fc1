import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { exactP, fillForm, readDomain, goldenValues, parsePct, readGolden, recordRequests, waitForModels } from './helpers';

const heartDomain = readDomain('heart');
const heartFields = heartDomain.fields;
const deviceDomain = readDomain('device');
const deviceFields = deviceDomain.fields;
const heartSample = heartDomain.seed!.sampleRequest;
const deviceSample = deviceDomain.seed!.sampleRequest;

test.describe('patient form', () => {
  test('filled by label, it predicts with the default model and says which model that is', async ({ page }) => {
    await page.goto('#/heart');
    await waitForModels(page);
    await expect(page.getByText(/does not\s+use the follow-up period/)).toBeVisible();
    await fillForm(page, heartFields, { ...heartSample, time: undefined });
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect(page.getByTestId('predicted-class')).toHaveText(/(low|intermediate|high) risk$/);
    await expect(page.getByTestId('p-heart-baseline')).toHaveText(/%/);
    // Without `time`, the seed-compatible model cannot run, and says why.
    await page.getByText(/Compare all 3 models/).click();
    await expect(page.getByRole('row', { name: /heart-rf-seed/ })).toContainText('needs: Follow-up period');
  });

  test('the sample request of the replaced service is flagged (high risk, over the threshold) with heart-rf-seed', async ({ page }) => {
    await page.goto('#/heart');
    await waitForModels(page);
    await fillForm(page, heartFields, heartSample);
    await page.getByRole('radio', { name: /heart-rf-seed/ }).check();
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect(page.getByTestId('predicted-class')).toHaveText(/high risk$/);
    await expect(page.locator('.verdict')).toContainText("At or above this model's alert threshold");
    // Every model of the domain ran on the same input.
    for (const id of ['heart-baseline', 'heart-lr', 'heart-rf-seed']) await expect(page.getByTestId(`p-${id}`)).toHaveText(/%/);
  });

  test('a blank field that the selected model reads is marked at the field; a field it does not read gets no note', async ({ page }) => {
    await page.goto('#/heart');
    await waitForModels(page);
    // Serum sodium 100 is below anything seen in training; the default model does not read it.
    await fillForm(page, heartFields, { ...heartSample, time: undefined, age: undefined, serum_sodium: 100 });
    await page.getByRole('button', { name: 'Predict' }).click();
    const age = page.getByRole('textbox', { name: /^Age/ });
    await expect(age).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.field-invalid').filter({ has: age })).toContainText(/Enter Age: .+, the model shown first, reads it\./);
    await expect(page.locator('.result')).toContainText('cannot run on these values: needs: Age');
    await expect(page.getByRole('list', { name: 'Notes on the inputs' })).toHaveCount(0);
    // Filled in, the mark goes; the default model still says nothing about sodium, which it does not read.
    await age.fill('60');
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect(page.getByTestId('probability')).toHaveText(/%/);
    await expect(age).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('list', { name: 'Notes on the inputs' })).toHaveCount(0);
    // A model that reads sodium notes it.
    await page.getByRole('radio', { name: /heart-lr/ }).check();
    await expect(page.getByRole('list', { name: 'Notes on the inputs' })).toContainText('Serum sodium 100');
  });

  test('invalid values show errors naming field and limit, and no prediction', async ({ page }) => {
    await page.goto('#/heart');
    await waitForModels(page);
    await fillForm(page, heartFields, { ...heartSample, ejection_fraction: 120, serum_sodium: 0, age: 'abc' });
    await page.getByRole('button', { name: 'Predict' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Please correct' });
    await expect(summary).toContainText('Ejection fraction must be at most 100 %');
    await expect(summary).toContainText('Serum sodium must be at least 90 mEq/L');
    await expect(summary).toContainText('Age must be a number');
    await expect(page.getByRole('textbox', { name: /^Ejection fraction/ })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('predicted-class')).toHaveCount(0);
  });

  test('a preset shows a prediction in one click, and the result can be downloaded', async ({ page }) => {
    await page.goto('#/heart');
    await waitForModels(page);
    await page.getByRole('button', { name: /^Woman, 58/ }).click();
    await expect(page.getByTestId('probability')).toHaveText(/%/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this result (JSON)' }).click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(saved.inputs.ejection_fraction).toBe(45);
    const cell = page.getByTestId('p-heart-baseline');
    const shown = await exactP(cell);
    const baseline = saved.predictions.find((p: { model: string }) => p.model === 'heart-baseline');
    expect(Math.abs(baseline.probability - shown)).toBeLessThanOrEqual(5e-5);
    // Shown in whole percentages; the file has the exact figure, the class, and the units.
    expect(parsePct(await cell.textContent())).toBeCloseTo(Math.round(shown * 100) / 100, 10);
    expect(baseline.class).toMatch(/^(survival|dead)$/);
    expect(saved.input_units.serum_creatinine).toBe('mg/dL');
    expect(saved.entered_in.units.serum_creatinine).toBeDefined();
  });
});

test.describe('device form', () => {
  test('the sample request gives Non-Failure with device-dt-seed', async ({ page }) => {
    await page.goto('#/device');
    await waitForModels(page);
    await fillForm(page, deviceFields, deviceSample);
    await page.getByRole('radio', { name: /device-dt-seed/ }).check();
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect(page.getByTestId('predicted-class')).toHaveText('Non-Failure');
  });

  test('a negative counter is refused with the field named', async ({ page }) => {
    await page.goto('#/device');
    await waitForModels(page);
    await fillForm(page, deviceFields, { ...deviceSample, metric4: -5 });
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Please correct' })).toContainText('Metric 4 must be at least 0');
    await expect(page.getByTestId('predicted-class')).toHaveCount(0);
  });
});

test.describe('golden parity in the page', () => {
  const cases = [
    { domain: 'heart', fields: heartFields, models: ['heart-baseline', 'heart-lr', 'heart-rf-seed'] },
    { domain: 'device', fields: deviceFields, models: ['device-rf', 'device-lr', 'device-dt-seed'] },
  ] as const;
  for (const c of cases) {
    test(`${c.domain}: 20 golden rows match scikit-learn within 1e-4 for every model`, async ({ page }) => {
      test.setTimeout(180_000);
      const goldens = c.models.map((m) => readGolden(m));
      // Spread the 20 rows over the file, and always include positives.
      const n = goldens[0]!.inputs.length;
      const picks = Array.from({ length: 20 }, (_, k) => Math.floor((k * (n - 1)) / 19));
      await page.goto(`#/${c.domain}`);
      await waitForModels(page);
      for (const i of picks) {
        // All goldens of a domain hold the same rows; the seed heart model has `time` too.
        const values = Object.assign({}, ...goldens.map((g) => goldenValues(g, g.rows.indexOf(goldens[0]!.rows[i]!))));
        await fillForm(page, c.fields, values);
        await page.getByRole('button', { name: 'Predict' }).click();
        for (const g of goldens) {
          const j = g.rows.indexOf(goldens[0]!.rows[i]!);
          const cell = page.getByTestId(`p-${g.model}`);
          const expected = g.probabilities[j]![1];
          await expect
            .poll(async () => Math.abs((await exactP(cell)) - expected), { message: `${g.model} row ${g.rows[j]}` })
            .toBeLessThanOrEqual(1e-4);
        }
      }
    });
  }
});

test.describe('seed-compatible JSON', () => {
  test('round-trips both sample requests, in the Integration view', async ({ page }) => {
    await page.goto('#/integration');
    const heartPanel = page.getByRole('region', { name: /replaced heart service/ });
    await expect(heartPanel.getByRole('button', { name: 'Send request' })).toBeEnabled({ timeout: 30_000 });
    await heartPanel.getByRole('button', { name: 'Send request' }).click();
    const heart = JSON.parse((await heartPanel.getByLabel('Response body').textContent()) ?? '');
    expect(heart.prediction_class).toBe('dead');
    expect(typeof heart.probability).toBe('number');
    expect(heart.probability).toBeGreaterThan(0.5);

    const devicePanel = page.getByRole('region', { name: /replaced device service/ });
    await devicePanel.getByRole('button', { name: 'Send request' }).click();
    const device = JSON.parse((await devicePanel.getByLabel('Response body').textContent()) ?? '');
    expect(device).toEqual({ timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), class: 'Non-Failure', probability: '100.0%' });
  });

  test('malformed JSON, a missing field, an extra field and an out-of-limit value are named', async ({ page }) => {
    await page.goto('#/integration');
    const panel = page.getByRole('region', { name: /replaced device service/ });
    await expect(panel.getByRole('button', { name: 'Send request' })).toBeEnabled({ timeout: 30_000 });
    const box = panel.getByRole('textbox', { name: 'Request body' });
    await box.fill('{"metric1": 1,');
    await panel.getByRole('button', { name: 'Send request' }).click();
    await expect(panel.getByRole('alert')).toContainText('not valid JSON');
    const body = { ...deviceSample, metric5: -1, extra: 3 } as Record<string, number>;
    delete body.metric9;
    await box.fill(JSON.stringify(body));
    await panel.getByRole('button', { name: 'Send request' }).click();
    const alert = panel.getByRole('alert').filter({ hasText: 'refused' });
    await expect(alert).toContainText('metric9: Metric 9 is required');
    await expect(alert).toContainText('Unknown field: extra');
    await expect(alert).toContainText('metric5: Metric 5 must be at least 0');
    await expect(panel.getByLabel('Response body')).toHaveCount(0);
  });
});

test('no request leaves the page origin, and none carries an input value', async ({ page, baseURL }) => {
  const seen = recordRequests(page);
  await page.goto('#/heart');
  await waitForModels(page);
  await fillForm(page, heartFields, { ...heartSample, platelets: 123457.5 });
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  await page.goto('#/integration');
  const heartPanel = page.getByRole('region', { name: /replaced heart service/ });
  await heartPanel.getByRole('button', { name: 'Send request' }).click();
  await expect(heartPanel.getByLabel('Response body')).toBeVisible();
  await page.goto('#/device');
  await waitForModels(page);
  await fillForm(page, deviceFields, { ...deviceSample, metric1: 987654321 });
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  const origin = new URL(baseURL!).origin;
  expect(seen.length).toBeGreaterThan(0);
  for (const r of seen) {
    const u = new URL(r.url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') continue;
    expect(u.origin, r.url).toBe(origin);
    expect(r.url + (r.body ?? '')).not.toMatch(/123457\.5|987654321/);
    expect(r.body).toBeNull();
  }
});
