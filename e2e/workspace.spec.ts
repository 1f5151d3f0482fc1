// The fleet as a daily instrument, in the real build: keep a log, reload the page (the latest list
// without a file), append a day, record an inspection (the device leaves the top K and says why),
// export the workspace, delete it, import the export on a clean slate.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parseManifest } from '../src/domain/manifest';
import { inputOf } from '../src/domain/model-list';
import { readDomain } from './helpers';
// @ts-expect-error: a plain .mjs generator shared with the bench
import { fleetCsv } from '../bench/make-fleet-log.mjs';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')));
const historyIds = readDomain('device').historyModelIds;
test.skip(!manifest.models.some((m) => m.domain === 'device' && inputOf(m, historyIds) === 'history'), 'no history model in the manifest yet');

const text = (fleetCsv as (o: object) => string)({ devices: 6, days: 31, degrading: [2], withFailure: false });
const lines = text.trimEnd().split('\n');
const header = lines[0]!;
const lastDay = lines[lines.length - 1]!.slice(0, 10);
const before = [header, ...lines.slice(1).filter((l) => !l.startsWith(lastDay))].join('\n') + '\n';
const today = [header, ...lines.slice(1).filter((l) => l.startsWith(lastDay))].join('\n') + '\n';
const csv = (name: string, body: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });

async function firstRow(page: Page) {
  const row = page.getByRole('table', { name: 'Ranked devices' }).getByRole('row').nth(1);
  return { device: (await row.getByRole('cell').nth(1).textContent())!, row };
}

test('keep, reload, append a day, inspect, export, delete, import', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('#/device/fleet');
  await expect(page.getByLabel('Choose a daily log (CSV or Parquet)')).toBeEnabled({ timeout: 30_000 });
  await page.getByLabel('Keep this fleet in this browser').check();
  await page.getByLabel('Choose a daily log (CSV or Parquet)').setInputFiles(csv('first-30-days.csv', before));
  await expect(page.getByTestId('workspace-kept')).toContainText('180 readings of 6 devices from 1 file');
  await expect(page.getByRole('heading', { name: /Ranking on 2015-01-30 \(the latest date in the log\)/ })).toBeVisible();

  // A new visit: the kept list comes back with no file chosen and nothing rescored.
  await page.reload();
  await expect(page.getByRole('heading', { name: /Ranking on 2015-01-30 \(the latest date in the log\)/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'The fleet workspace kept in this browser' })).toBeVisible();

  // Today's export, appended: only its 6 readings are scored.
  await page.getByLabel("Append a day's export (CSV or Parquet)").setInputFiles(csv(`${lastDay}.csv`, today));
  await expect(page.getByTestId('workspace-append')).toContainText('6 rows read = 6 added + 0 replaced');
  await expect(page.getByTestId('workspace-append')).toContainText('6 readings scored');
  await expect(page.getByTestId('workspace-kept')).toContainText('186 readings of 6 devices from 2 files');
  await expect(page.getByRole('heading', { name: new RegExp(`Ranking on ${lastDay} \\(the latest date in the log\\)`) })).toBeVisible();

  // A new visit reads the kept log and the append (kept as a delta beside it) back: the same list.
  const ranked = page.getByRole('table', { name: 'Ranked devices' });
  const listed = await ranked.textContent();
  expect(listed).toMatch(/top 1/);
  await page.reload();
  await expect(page.getByTestId('workspace-kept')).toContainText('186 readings of 6 devices from 2 files', { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: new RegExp(`Ranking on ${lastDay} \\(the latest date in the log\\)`) })).toBeVisible();
  expect(await ranked.textContent()).toBe(listed);

  // Inspect the top device: nothing found. It leaves the top K and the list says why.
  await page.getByLabel('We can inspect').fill('1');
  const top = await firstRow(page);
  await expect(top.row.getByRole('cell').nth(3)).toHaveText('top 1');
  await page.getByLabel(`Choose ${top.device}`).check();
  await page.getByRole('button', { name: 'Record inspection' }).click();
  await expect(page.getByText(`Recorded: ${top.device} inspected ${lastDay}, nothing found.`)).toBeVisible();
  await expect(page.getByTestId('fleet-day-heading')).toContainText('1 device is held back after an inspection that found nothing');
  const next = await firstRow(page);
  await expect(next.row.getByRole('cell').nth(1)).not.toHaveText(top.device);
  await expect(next.row.getByRole('cell').nth(3)).toHaveText('top 1');
  await page.getByLabel('Show the devices held back').check();
  await expect(page.getByRole('list', { name: 'Held back devices' })).toContainText(
    `${top.device}: inspected ${lastDay}, nothing found: held back until`,
  );

  // Work orders for the chosen device: a download, nothing created elsewhere.
  const [orders] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Download work orders for the 1 chosen/ }).click(),
  ]);
  expect(readFileSync(await orders.path(), 'utf8')).toMatch(new RegExp(`^asset_id,priority,due_date,title,description\\r\\n${top.device},`));

  // Export the whole workspace, delete it, import it again.
  const [exported] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the workspace (one file)' }).click(),
  ]);
  const exportPath = await exported.path();
  const doc = JSON.parse(readFileSync(exportPath, 'utf8')) as { format: string; logCsv: string; inspections: unknown[] };
  expect(doc.format).toBe('prognos-fleet-workspace');
  expect(doc.logCsv.trimEnd().split('\n')).toHaveLength(187);
  expect(doc.inspections).toHaveLength(1);
  await page.getByRole('button', { name: 'Delete the workspace' }).click();
  await expect(page.getByText('The fleet workspace was deleted from this browser.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Choose a daily log (CSV or Parquet)')).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId('workspace-kept')).toHaveCount(0);
  await page.getByLabel('Import a workspace').setInputFiles(exportPath);
  await expect(page.getByTestId('workspace-kept')).toContainText('186 readings of 6 devices from 1 file');
  await expect(page.getByRole('heading', { name: new RegExp(`Ranking on ${lastDay}`) })).toBeVisible();
});

test('two tabs on one workspace: an append in one is announced in the other, which shows the latest on request', async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto('#/device/fleet');
  await expect(page.getByLabel('Choose a daily log (CSV or Parquet)')).toBeEnabled({ timeout: 30_000 });
  await page.getByLabel('Keep this fleet in this browser').check();
  await page.getByLabel('Choose a daily log (CSV or Parquet)').setInputFiles(csv('first-30-days.csv', before));
  await expect(page.getByTestId('workspace-kept')).toContainText('180 readings');

  const other = await context.newPage();
  await other.goto('#/device/fleet');
  await expect(other.getByRole('heading', { name: /Ranking on 2015-01-30/ })).toBeVisible({ timeout: 30_000 });

  await page.getByLabel("Append a day's export (CSV or Parquet)").setInputFiles(csv(`${lastDay}.csv`, today));
  await expect(page.getByTestId('workspace-kept')).toContainText('186 readings');
  await expect(other.getByText('The workspace was changed in another tab.')).toBeVisible();
  await other.getByRole('button', { name: 'Show the latest' }).click();
  await expect(other.getByRole('heading', { name: new RegExp(`Ranking on ${lastDay}`) })).toBeVisible();
  await expect(other.getByTestId('workspace-kept')).toContainText('186 readings of 6 devices from 2 files');
});

test('a labelled log shows the inspection policy for the chosen K and hold-back', async ({ page }) => {
  const labelled = (fleetCsv as (o: object) => string)({ devices: 8, days: 40, degrading: [2, 5], withFailure: true });
  await page.goto('#/device/fleet');
  await expect(page.getByLabel('Choose a daily log (CSV or Parquet)')).toBeEnabled({ timeout: 30_000 });
  await page.getByLabel('Choose a daily log (CSV or Parquet)').setInputFiles(csv('labelled.csv', labelled));
  const box = page.getByTestId('policy-evaluation');
  await expect(box).toContainText(
    /Inspecting the 10 highest-risk devices each day over this whole log: without hold-back, \d+ of 2 failures caught with \d+ inspections?/,
  );
  await expect(box).toContainText('holding a device back 7 days after an inspection that found nothing');
  await page.getByLabel('Hold a device back for').fill('3');
  await expect(box).toContainText('holding a device back 3 days');
});
