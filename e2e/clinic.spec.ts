import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { exactP, fillForm, readDomain, readGolden, waitForBatch, waitForModels } from './helpers';

const heart = readDomain('heart');
const preset = heart.presets[0]!.values;

async function openSettings(page: Page) {
  // The units-and-format settings, not the record panel (a details element styled alike).
  const details = page.locator('details.settings', { has: page.locator('summary', { hasText: /^Units and number format/ }) });
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await page.getByText(/^Units and number format/).click();
}

async function predictAndRead(page: Page) {
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  return {
    text: await page.getByTestId('probability').textContent(),
    lr: await page.getByTestId('p-heart-lr').textContent(),
    p: await exactP(page.getByTestId('probability')),
  };
}

test('creatinine 88 µmol/L and platelets 263 ×10⁹/L give the same risk as 1.0 mg/dL and 263000, and the units are remembered', async ({ page }) => {
  await page.goto('#/heart');
  await waitForModels(page);
  await fillForm(page, heart.fields, { ...preset, serum_creatinine: '1.0', platelets: '263000' });
  const inModelUnits = await predictAndRead(page);

  await page.getByRole('button', { name: 'Clear' }).click();
  await openSettings(page);
  await page.getByLabel('Serum creatinine unit').selectOption({ label: 'µmol/L' });
  await page.getByLabel('Platelets unit').selectOption({ label: '×10⁹/L' });
  // Label, limits and help follow the unit.
  const creatinine = page.getByRole('textbox', { name: /^Serum creatinine \(µmol\/L\)/ });
  await expect(creatinine).toHaveAccessibleDescription(/Accepted: 8\.842–2,652\.6 µmol\/L/);
  await fillForm(page, heart.fields, { ...preset, serum_creatinine: undefined, platelets: undefined });
  await creatinine.fill('88');
  await page.getByRole('textbox', { name: /^Platelets \(×10⁹\/L\)/ }).fill('263');
  const inClinicUnits = await predictAndRead(page);
  expect(inClinicUnits.text).toBe(inModelUnits.text);
  expect(inClinicUnits.lr).toBe(inModelUnits.lr);

  // Out of range in the chosen unit: the message says the limit in that unit.
  await creatinine.fill('3000');
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Please correct' })).toContainText('Serum creatinine must be at most 2,652.6 µmol/L');

  await page.reload();
  await waitForModels(page);
  await expect(page.getByRole('textbox', { name: /^Serum creatinine \(µmol\/L\)/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^Platelets \(×10⁹\/L\)/ })).toBeVisible();
});

test('with the decimal comma format, 1,4 is 1.4; with the decimal point format it is refused naming the setting', async ({ page }) => {
  await page.goto('#/heart');
  await waitForModels(page);
  const creatinine = page.getByRole('textbox', { name: /^Serum creatinine/ });
  await fillForm(page, heart.fields, { age: 70, ejection_fraction: 30 });
  await creatinine.fill('1,4');
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Please correct' })).toContainText(
    /Serum creatinine 1,4 is written with a decimal comma, but the number format is set to decimal point/,
  );

  await openSettings(page);
  await page.getByRole('radio', { name: /Decimal comma/ }).check();
  await creatinine.fill('1,4');
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this result (JSON)' }).click()]);
  const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(saved.inputs).toEqual({ age: 70, ejection_fraction: 30, serum_creatinine: 1.4 });
  expect(saved.entered_in.number_format).toBe('decimal comma (1.234,5)');
  // The same values typed as 1.4: the same exact probability.
  const p = await exactP(page.getByTestId('probability'));
  await openSettings(page);
  await page.getByRole('radio', { name: /Decimal point/ }).check();
  await creatinine.fill('1.4');
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect.poll(() => exactP(page.getByTestId('probability'))).toBe(p);
});

test('three inputs predict with the default model; the others say what they need; the explanation lists only what it reads', async ({ page }) => {
  await page.goto('#/heart');
  await waitForModels(page);
  await fillForm(page, heart.fields, { age: 65, ejection_fraction: 30, serum_creatinine: 1.2 });
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toHaveText(/^\d+ %$/);
  await expect(page.locator('.verdict')).toContainText(/^Risk of death during follow-up of about 4 months, as in the study:/);
  await expect(page.getByTestId('models-differ')).toContainText('Default: heart-baseline');
  await page.getByText(/Compare all 3 models/).click();
  await expect(page.getByRole('row', { name: /heart-lr/ })).toContainText('needs: Anaemia, Creatinine phosphokinase (CPK), Diabetes');
  await expect(page.getByRole('row', { name: /heart-rf-seed/ })).toContainText('Follow-up period');
  const explanation = page.getByRole('region', { name: 'What moved this prediction' });
  await expect(explanation).toBeVisible();
  const listed = (await explanation.getByRole('listitem').allTextContents()).map((t) => t.split(':')[0]);
  expect(listed.length).toBeGreaterThan(0);
  for (const name of listed) expect(['Age', 'Ejection fraction', 'Serum creatinine']).toContain(name);
  await expect(explanation).not.toContainText(/Anaemia|Platelets|Serum sodium|Smoking/);
  // The word of the seed format is kept out of the clinician's view.
  await expect(page.locator('.predict-layout')).not.toContainText(/\bdead\b/);
});

test('a German CSV (; and decimal commas, creatinine in µmol/L by its header) scores every row; the download states format and units', async ({
  page,
}) => {
  const golden = readGolden('heart-baseline');
  const cols = golden.features.map((f) => (f === 'serum_creatinine' ? 'serum_creatinine_umol_l' : f));
  const lines = [cols.join(';')];
  const n = 60;
  for (let i = 0; i < n; i++) {
    const cells = golden.features.map((f, j) => {
      const v = golden.inputs[i]![j]!;
      return String(f === 'serum_creatinine' ? Number((v * 88.42).toFixed(4)) : v).replace('.', ',');
    });
    lines.push(cells.join(';'));
  }
  await page.goto('#/heart/batch');
  await waitForBatch(page);
  await page
    .getByLabel('Choose a CSV or Parquet file')
    .setInputFiles({ name: 'station.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') });
  await expect(page.getByTestId('batch-summary')).toHaveText(new RegExp(`${n} rows read = ${n} scored \\+ 0 rejected`));
  const reading = page.getByTestId('batch-reading');
  await expect(reading).toContainText('Numbers read with a decimal comma (1.234,5) (chosen because cells are separated by ";")');
  await expect(reading).toContainText('serum_creatinine_umol_l in µmol/L (from its header)');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download station-scored\.csv/ }).click()]);
  const out = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), {
    header: true,
    skipEmptyLines: true,
    delimiter: ';',
  });
  expect(out.data).toHaveLength(n);
  out.data.forEach((row, i) => {
    expect(row.number_format).toBe('decimal comma (1.234,5)');
    expect(row.units).toContain('serum_creatinine µmol/L');
    expect(row.units).toContain('platelets kiloplatelets/mL');
    expect(Math.abs(Number(row.probability!.replace(',', '.')) - golden.probabilities[i]![1])).toBeLessThanOrEqual(1e-5);
  });

  // The switch: read the same file with decimal points; every row is refused, naming the setting.
  await page.getByRole('button', { name: /Read again with a decimal point/ }).click();
  await expect(page.getByTestId('batch-summary')).toHaveText(new RegExp(`${n} rows read = 0 scored \\+ ${n} rejected`));
  await page.getByText(/^Rejected rows: 60/).click();
  await expect(page.getByRole('table', { name: 'Rejected rows' })).toContainText('but the number format is set to decimal point');
});

test('Print gives one A4 page with the reference, inputs with units, risk, band, horizon, model and limitations', async ({ page }) => {
  await page.goto('#/heart');
  await waitForModels(page);
  await page.getByRole('button', { name: /^Man, 78/ }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
  await expect(page.getByRole('heading', { name: 'What moved this prediction' })).toBeVisible();
  await page.getByLabel(/Patient reference/).fill('Ward 3, bed 12');
  await page.emulateMedia({ media: 'print' });
  const report = page.getByRole('article', { name: 'Printable report' });
  await expect(report).toBeVisible();
  await expect(page.getByRole('button', { name: 'Predict' })).toBeHidden();
  await expect(page.getByRole('navigation')).toBeHidden();
  for (const text of [
    'Patient reference: Ward 3, bed 12',
    'Date and time:',
    /Risk of death during follow-up of about 4 months, as in the study: \d+ % \((low|intermediate|high) risk/,
    'Serum creatinine2.3 mg/dL',
    'Platelets220000 kiloplatelets/mL',
    'Follow-up periodnot given',
    /Model heart-baseline version 1\.0\.0/,
    /SHA-256 [0-9a-f]{64}/,
    'What moved this prediction',
    'Not a medical device',
  ]) {
    await expect(report).toContainText(text);
  }
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages).toHaveLength(1);
  // The picture in docs/ is this page (when poppler's pdftoppm is installed).
  if (existsSync('/usr/bin/pdftoppm') && process.env.PROGNOS_WRITE_DOCS) {
    const dir = mkdtempSync(join(tmpdir(), 'prognos-pdf-'));
    writeFileSync(join(dir, 'report.pdf'), pdf);
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-singlefile', join(dir, 'report.pdf'), 'docs/report']);
  }
});

test.describe('phone, 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  const noSideScroll = (page: Page) =>
    expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  test('an example scrolls its result into view; no view with a result scrolls sideways', async ({ page }) => {
    await page.goto('#/heart');
    await waitForModels(page);
    await page.getByRole('button', { name: /^Man, 78/ }).tap();
    await expect(page.getByTestId('probability')).toBeInViewport();
    await page.getByText(/Compare all 3 models/).tap();
    await expect(page.getByTestId('p-heart-baseline')).toBeVisible();
    await noSideScroll(page);

    await page.goto('#/device');
    await waitForModels(page);
    await page.getByRole('button', { name: readDomain('device').presets[0]!.label }).tap();
    await expect(page.getByTestId('probability')).toBeInViewport();
    await noSideScroll(page);

    await page.goto('#/heart/batch');
    await waitForBatch(page);
    const golden = readGolden('heart-baseline');
    const csv = [golden.features.join(','), ...golden.inputs.slice(0, 30).map((r) => r.join(','))].join('\n');
    await page.getByLabel('Choose a CSV or Parquet file').setInputFiles({ name: 'phone.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(page.getByTestId('batch-summary')).toHaveText(/30 scored/);
    await noSideScroll(page);

    await page.goto('#/models');
    await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
    await noSideScroll(page);

    await page.goto('#/integration');
    const panel = page.getByRole('region', { name: /replaced heart service/ });
    await expect(panel.getByRole('button', { name: 'Send request' })).toBeEnabled({ timeout: 30_000 });
    await panel.getByRole('button', { name: 'Send request' }).tap();
    await expect(panel.getByLabel('Response body')).toBeVisible();
    await noSideScroll(page);
  });
});
