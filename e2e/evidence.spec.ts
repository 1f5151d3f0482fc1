import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { nearestRow } from '../src/domain/evidence';
import { parseCardManifest } from '../src/domain/manifest';
import { readGolden, waitForBatch, waitForModels } from './helpers';

// Issue 22: beside a heart risk, what happened to similar patients (sentence and icon array) and
// the interval of the risk; the same on the one-page printout; the card lists its TRIPOD+AI items.
const cards = parseCardManifest(JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')));
const heartDefault = cards.models.find((m) => m.domain === 'heart' && m.default)!;

test('a heart prediction shows the similar-patients sentence, the icon array and the interval; the printout keeps them on one page', async ({
  page,
}) => {
  test.skip(!heartDefault.evidence, 'the manifest has no similar-patients lookup (npm run train)');
  await page.goto('#/heart');
  await waitForModels(page);
  await page.getByRole('button', { name: /^Man, 78/ }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  const result = page.locator('.result');
  const sentence = result.getByTestId('similar-sentence');
  await expect(sentence).toHaveText(
    /^(Of the \d+ patients in the study whose out-of-fold risk was close to this one \(within 5 points\), \d+ died \(\d+(\.\d)? %, 95 % interval \d+(\.\d)?–\d+(\.\d)? %\)\.|None of the patients)/,
  );
  const icons = result.getByRole('img', { name: /of 100 people marked/ });
  await expect(icons).toBeVisible();
  const filled = Number(await icons.getAttribute('data-filled'));
  await expect(icons.locator('g.icon-on')).toHaveCount(filled);
  await expect(icons.locator('g')).toHaveCount(100);
  await expect(result.getByTestId('risk-interval')).toContainText('Wilson 95 % interval');

  await page.emulateMedia({ media: 'print' });
  const report = page.getByRole('article', { name: 'Printable report' });
  await expect(report).toBeVisible();
  await expect(report.getByTestId('similar-sentence')).toHaveText((await sentence.textContent())!);
  await expect(report.getByRole('img', { name: /of 100 people marked/ })).toBeVisible();
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).toHaveLength(1);
});

test("a heart batch shows each row's similar patients and interval, and the download carries them", async ({ page }) => {
  const e = heartDefault.evidence;
  test.skip(!e, 'the manifest has no similar-patients lookup (npm run train)');
  const golden = readGolden(heartDefault.id);
  const lines = [golden.features.join(','), ...golden.inputs.slice(0, 6).map((r) => r.join(','))];
  await page.goto('#/heart/batch');
  await waitForBatch(page);
  await page
    .getByLabel('Choose a CSV or Parquet file')
    .setInputFiles({ name: 'six.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expect(page.getByTestId('batch-summary')).toHaveText(/6 rows read = 6 scored \+ 0 rejected/);
  const table = page.getByRole('table', { name: 'Scored rows' });
  await expect(table.getByRole('columnheader', { name: 'similar patients (interval)' })).toBeVisible();
  await expect(page.getByTestId('batch-similar-note')).toContainText('similar_n, similar_events, interval_95_low, interval_95_high');
  const pc = (x: number) => `${Math.round(x * 1000) / 10}`;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download six-scored\.csv/ }).click()]);
  const out = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), { header: true, skipEmptyLines: true });
  expect(out.data).toHaveLength(6);
  for (const [i, row] of out.data.entries()) {
    const want = nearestRow(e!.similar.rows, e!.similar.step, Number(row.probability));
    expect([row.similar_n, row.similar_events, row.interval_95_low, row.interval_95_high].map(Number)).toEqual([
      want.n,
      want.events,
      want.low,
      want.high,
    ]);
    await expect(table.getByRole('row').nth(i + 1)).toContainText(`${want.events} of ${want.n} died; 95 % ${pc(want.low)}–${pc(want.high)} %`);
  }
});

test('every model card lists its TRIPOD+AI items, and each item it claims is on the card', async ({ page }) => {
  test.skip(!cards.models.some((m) => m.evaluation.out_of_fold), 'the manifest has no out-of-fold card figures (npm run train)');
  await page.goto('#/models');
  for (const m of cards.models.filter((x) => x.evaluation.out_of_fold)) {
    const card = page.getByRole('article').filter({ has: page.locator(`#card-${m.id}`) });
    await card.getByText(/^Show the \d+ items/).click();
    const claimed = (await card.getByTestId('tripod-claimed').textContent())!.replace(/^Items on this card: |\.$/g, '').split('; ');
    expect(claimed.length).toBeGreaterThanOrEqual(10);
    // Every claimed number has its section, headed "TRIPOD+AI <number> ...", on this card.
    const shown = await card
      .locator('[data-tripod-item]')
      .evaluateAll((els) => els.map((e) => ({ number: e.getAttribute('data-tripod-item'), heading: e.querySelector('h4')?.textContent ?? '' })));
    for (const number of claimed) {
      const section = shown.find((x) => x.number === number);
      expect(section, `item ${number} of ${m.id}`).toBeDefined();
      expect(section!.heading.startsWith(`TRIPOD+AI ${number} `)).toBe(true);
    }
    expect(new Set(shown.map((x) => x.number))).toEqual(new Set(claimed));
    const oof = m.evaluation.out_of_fold!;
    await expect(card.getByTestId('tripod-calibration')).toContainText(`slope ${oof.calibration_fit.slope.toFixed(3)}`);
    await expect(card.getByTestId('tripod-subgroups').locator('tbody tr')).toHaveCount(oof.subgroups.length);
    if (oof.interval_validity) {
      await expect(card.getByTestId('tripod-interval-validity')).toContainText(
        `in ${oof.interval_validity.inside} of ${oof.interval_validity.groups.length} groups`,
      );
    }
    if (m.domain === 'device') await expect(card.getByTestId('tripod-not-applicable')).toContainText('Similar cases');
  }
});
