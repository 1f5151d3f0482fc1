// Parquet in (issue 20): a Parquet copy and a CSV copy of the same generated table, written
// here with hyparquet-writer (bench/parquet-copy.mjs), give the same ranking, probabilities and
// downloads in the Fleet view and the same scores in a batch view.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parseManifest } from '../src/domain/manifest';
import { inputOf } from '../src/domain/model-list';
import { sampleBatchCsv, trainingRanges } from '../src/domain/sample-data';
import { readDomain, waitForBatch } from './helpers';
// @ts-expect-error: a plain .mjs generator shared with the bench
import { fleetCsv } from '../bench/make-fleet-log.mjs';
import { fleetTypes, parquetCopy } from '../bench/parquet-copy.mjs';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')));
const historyIds = readDomain('device').historyModelIds;
const fleetModel = manifest.models.find((m) => m.domain === 'device' && inputOf(m, historyIds) === 'history');
const PARQUET = 'application/vnd.apache.parquet';

/** A download's text, after clicking the button that makes it. */
async function downloaded(page: Page, button: string | RegExp): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFileSync((await d.path())!, 'utf8');
}

/** Load one log in a fresh Fleet view: its summary (less the time taken), the ranking shown, and both downloads. */
async function fleetRun(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto('about:blank');
  await page.goto('#/device/fleet');
  const input = page.getByLabel('Choose a daily log (CSV or Parquet)');
  await expect(input).toBeEnabled({ timeout: 30_000 });
  await expect(input).toHaveAttribute('accept', /\.parquet/);
  await input.setInputFiles(file);
  const list = page.getByRole('table', { name: 'Ranked devices' });
  await expect(list.getByRole('row').nth(1)).toBeVisible({ timeout: 60_000 });
  const summary = (await page.getByTestId('fleet-summary').innerText()).replace(/Read and scored in [\d.]+ s/, '');
  const shown = await list.innerText();
  const ranking = await downloaded(page, 'Download the ranking (CSV)');
  const rows = await downloaded(page, /Download every scored row/);
  return { summary, shown, ranking, rows };
}

test('a fleet log as Parquet ranks as its CSV copy: same list, probabilities and features', async ({ page }) => {
  test.skip(!fleetModel, 'no history model in the manifest yet');
  test.setTimeout(120_000);
  const text = (fleetCsv as (o: object) => string)({ devices: 6, days: 40, degrading: [2] });
  const copy = parquetCopy(text, { types: fleetTypes('DATE'), rowGroupSize: 50 });
  const fromCsv = await fleetRun(page, { name: 'six.csv', mimeType: 'text/csv', buffer: Buffer.from(copy.csv) });
  const fromParquet = await fleetRun(page, { name: 'six.parquet', mimeType: PARQUET, buffer: Buffer.from(copy.parquet) });
  expect(fromCsv.summary).toContain('240 rows read = 240 kept + 0 rejected');
  expect(fromCsv.rows.split('\n').length).toBeGreaterThan(240);
  expect(fromParquet.summary).toBe(fromCsv.summary);
  expect(fromParquet.shown).toBe(fromCsv.shown);
  expect(fromParquet.ranking).toBe(fromCsv.ranking);
  expect(fromParquet.rows).toBe(fromCsv.rows);
});

test('a patient batch as Parquet: scored and rejected as its CSV copy, and a damaged file told in one sentence', async ({ page }) => {
  const heart = readDomain('heart');
  const text = sampleBatchCsv(heart, trainingRanges(manifest.models.filter((m) => m.domain === 'heart')));
  const copy = parquetCopy(text, { types: { anaemia: 'BOOLEAN', sex: 'INT32' }, rowGroupSize: 20 });
  const run = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
    await page.goto('about:blank');
    await page.goto('#/heart/batch');
    await waitForBatch(page);
    await page.getByLabel('Choose a CSV or Parquet file').setInputFiles(file);
    await expect(page.getByTestId('batch-summary')).toHaveText(/rows read = \d+ scored \+ \d+ rejected/, { timeout: 30_000 });
    const summary = (await page.getByTestId('batch-summary').innerText()).replace(/ in [\d.,]+ (ms|s)\b.*/s, '');
    const rejected = await page.getByRole('table', { name: 'Rejected rows' }).innerText();
    return { summary, rejected, download: await downloaded(page, /Download ward-scored\.csv/) };
  };
  const fromCsv = await run({ name: 'ward.csv', mimeType: 'text/csv', buffer: Buffer.from(copy.csv) });
  const fromParquet = await run({ name: 'ward.parquet', mimeType: PARQUET, buffer: Buffer.from(copy.parquet) });
  await expect(page.getByTestId('batch-reading')).toContainText('Read from a Parquet file');
  expect(fromCsv.summary).toMatch(/60 rows read = \d+ scored \+ [1-9]\d* rejected/);
  expect(fromParquet).toEqual(fromCsv);

  await page
    .getByLabel('Choose a CSV or Parquet file')
    .setInputFiles({ name: 'cut.parquet', mimeType: PARQUET, buffer: Buffer.from(copy.parquet.slice(0, 300)) });
  await expect(page.getByRole('alert').filter({ hasText: 'Parquet' })).toHaveText(
    /could not be read.*: it is not a Parquet file, or it is damaged or cut short\.$/,
  );
});
