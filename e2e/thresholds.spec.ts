import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { parseCardManifest } from '../src/domain/manifest';
import { fillForm, goldenValues, readDomain, readGolden, waitForBatch, waitForModels } from './helpers';

const heart = readDomain('heart');
const golden = readGolden('heart-baseline');
const manifest = parseCardManifest(JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')));
const model = manifest.models.find((m) => m.id === 'heart-baseline')!;
const choices = model.evaluation.threshold_table.map((r) => r.threshold).sort((a, b) => a - b);
const next = choices[choices.indexOf(model.threshold) + 1]!;
// A borderline patient: at or above the default threshold, below the next one up.
const borderline = golden.probabilities.findIndex(([, p]) => p >= model.threshold && p < next);

const slider = (page: Page) => page.getByRole('slider', { name: /Alert threshold for heart-baseline/ });

test('moving the threshold changes the class of a borderline case, is remembered, and restores in one click', async ({ page }) => {
  expect(borderline).toBeGreaterThanOrEqual(0);
  await page.goto('#/heart');
  await waitForModels(page);
  await fillForm(page, heart.fields, goldenValues(golden, borderline));
  await page.getByRole('button', { name: 'Predict' }).click();
  const verdict = page.locator('.verdict');
  await expect(verdict).toContainText("At or above this model's alert threshold");
  // The table behind the slider is card data, fetched when asked for (not by the first result).
  await page.getByRole('button', { name: 'Adjust the alert threshold' }).click();
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(verdict).toContainText('Below the alert threshold you chose');
  await expect(verdict).toContainText('changed from the default');
  await expect(page.getByTestId('threshold-figures')).toContainText('precision');
  await page.reload();
  await waitForModels(page);
  await fillForm(page, heart.fields, goldenValues(golden, borderline));
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(verdict).toContainText('Below the alert threshold you chose');
  await page.getByRole('button', { name: 'Restore the default threshold' }).click();
  await expect(verdict).toContainText("At or above this model's alert threshold");
});

test('the batch classes and download follow the chosen threshold and say so', async ({ page }) => {
  // 60 golden rows and the borderline one: its class is the difference from the default.
  const rows = [...Array.from({ length: 60 }, (_, i) => i), borderline];
  const lines = [golden.features.join(','), ...rows.map((i) => golden.inputs[i]!.join(','))];
  await page.goto('#/heart/batch');
  await waitForBatch(page);
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('threshold-control-heart-baseline')).toContainText('changed');
  await page
    .getByLabel('Choose a CSV or Parquet file')
    .setInputFiles({ name: 'ward.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
  await expect(page.getByTestId('batch-summary')).toHaveText(/61 rows read = 61 scored/);
  await expect(page.getByTestId('download-threshold-note')).toContainText('not the model');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download ward-threshold-/ }).click()]);
  const out = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), { header: true, skipEmptyLines: true });
  expect(out.data).toHaveLength(61);
  out.data.forEach((row, k) => {
    const p = golden.probabilities[rows[k]!]![1];
    expect(row.class).toBe(model.class_labels[p >= next ? 1 : 0]);
  });
  expect(out.data.at(-1)!.class).toBe(model.class_labels[0]);
});

test('the model card shows the nested figures first and labels the pooled ones', async ({ page }) => {
  await page.goto('#/models');
  const card = page.getByTestId('threshold-card-device-rf');
  await expect(card.getByTestId('nested-figures')).toContainText('Nested (honest)');
  await expect(card.getByTestId('pooled-figures')).toContainText('Pooled (optimistic)');
  await expect(card.getByTestId('unstable')).toBeVisible();
  await expect(card.getByTestId('rank-verdict')).toContainText('more stable');
  await expect(page.getByTestId('threshold-card-heart-baseline').getByTestId('card-note')).toContainText('299 patients');
});

test('what-if curves: one per input the model reads, computed after the prediction', async ({ page }) => {
  await page.goto('#/heart');
  await waitForModels(page);
  await fillForm(page, heart.fields, goldenValues(golden, borderline));
  await page.getByRole('button', { name: 'Predict' }).click();
  const whatIf = page.getByTestId('what-if');
  await expect(whatIf).toHaveAttribute('data-what-if-ms', /\d/);
  await expect(whatIf.locator('figure')).toHaveCount(3);
  await expect(whatIf).toContainText('Ejection fraction');
});
