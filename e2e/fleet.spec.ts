import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { parseManifest } from '../src/domain/manifest';
import { inputOf } from '../src/domain/model-list';
import { readDomain } from './helpers';
// @ts-expect-error: a plain .mjs generator shared with the bench
import { fleetCsv } from '../bench/make-fleet-log.mjs';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../public/models/manifest.json', import.meta.url), 'utf8')));
const historyIds = readDomain('device').historyModelIds;
/** The counters the history features read: one chart panel each on a device's page. */
const counterCount = new Set(readDomain('device').history!.features.flatMap((f) => (f.of ? [f.of] : []))).size;
const fleetModel = manifest.models.find((m) => m.domain === 'device' && inputOf(m, historyIds) === 'history');

async function openFleet(page: Page) {
  await page.goto('#/device/fleet');
  await expect(page.getByLabel('Choose a daily log (CSV or Parquet)')).toBeEnabled({ timeout: 30_000 });
}

async function noAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
}

async function load(page: Page, name: string, text: string) {
  await page.getByLabel('Choose a daily log (CSV or Parquet)').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

test.skip(!fleetModel, 'no history model in the manifest yet');

test('a generated log with one degrading device puts it at the top; its page shows its timeline', async ({ page }) => {
  const text = (fleetCsv as (o: object) => string)({ devices: 6, days: 40, degrading: [2], withFailure: false });
  await openFleet(page);
  await load(page, 'six.csv', text);
  await expect(page.getByTestId('fleet-summary')).toContainText('240 rows read = 240 kept + 0 rejected + 0 duplicates set aside');
  await expect(page.getByTestId('fleet-devices')).toHaveText('6 devices');
  await expect(page.getByRole('heading', { name: /Ranking on 2015-02-09 \(the latest date in the log\)/ })).toBeVisible();
  await expect(page.getByTestId('fleet-day-heading')).toContainText('Inspect the top 6');
  await expect(page.getByTestId('fleet-flag-rule')).toContainText('Flagged means above the threshold: with 6 devices, no more than your capacity');
  const list = page.getByRole('table', { name: 'Ranked devices' });
  const first = list.getByRole('row').nth(1);
  await expect(first.getByRole('cell').nth(1)).toHaveText('DEV00002');
  await expect(page.getByLabel('We can inspect')).toHaveValue('10');
  await page.getByLabel('We can inspect').fill('1');
  await expect(first.getByRole('cell').nth(3)).toHaveText('top 1');
  await expect(page.getByTestId('fleet-flag-rule')).toHaveText('Flagged means above the threshold or in the top 1.');
  await expect(list.getByRole('row').nth(2).getByRole('cell').nth(3)).not.toHaveText('top 1');
  await noAxeViolations(page);

  // Downloads: the day's ranking, and every scored reading with its history features.
  const [ranking] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the ranking (CSV)' }).click()]);
  const r = Papa.parse<Record<string, string>>(readFileSync((await ranking.path())!, 'utf8'), { header: true, skipEmptyLines: true });
  expect(r.data.map((x) => x.device)[0]).toBe('DEV00002');
  expect(r.data).toHaveLength(6);
  expect(r.data[0]!.in_top_1).toBe('1');
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download every scored row/ }).click()]);
  const a = Papa.parse<Record<string, string>>(readFileSync((await all.path())!, 'utf8'), { header: true, skipEmptyLines: true });
  expect(a.data).toHaveLength(240);
  expect(a.meta.fields).toEqual(expect.arrayContaining(['device', 'date', 'line', 'metric2_delta7', 'days_since_first', 'probability', 'class']));

  await first.getByRole('link', { name: 'DEV00002' }).click();
  await expect(page).toHaveURL(/#\/device\/fleet\/DEV00002$/);
  const panel = page.getByTestId('device-panel');
  await expect(panel.getByRole('heading', { name: 'Device DEV00002' })).toBeVisible();
  await expect(panel.getByTestId('device-facts')).toContainText('40 readings from 2015-01-01 to 2015-02-09');
  await expect(panel.getByRole('figure', { name: 'Risk of DEV00002 over time' }).getByRole('application')).toBeVisible();
  // One panel per counter, each on its own scale; every tick label inside its panel, large values compact.
  const counters = panel.getByRole('figure', { name: 'Counters of DEV00002 over time' });
  await expect(counters.getByTestId('counter-panel')).toHaveCount(counterCount);
  await expect(counters.getByTestId('counter-panel').first().locator('.recharts-cartesian-axis-tick-value').first()).toBeVisible();
  const outside = await counters.evaluate((fig) =>
    [...fig.querySelectorAll('[data-testid="counter-panel"]')].flatMap((p) => {
      const box = p.getBoundingClientRect();
      return [...p.querySelectorAll('.recharts-cartesian-axis-tick-value')].flatMap((t) => {
        const r = t.getBoundingClientRect();
        const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
        return inside && (t.textContent ?? '').length <= 10 ? [] : [`${p.querySelector('strong')?.textContent}: "${t.textContent}"`];
      });
    }),
  );
  expect(outside).toEqual([]);
  await expect(counters.getByTestId('counter-panel').filter({ hasText: 'metric1' }).getByRole('application')).toContainText(/\d+M/);
  await counters.screenshot({ path: test.info().outputPath('counters.png') });
  const rows = panel.getByRole('table', { name: 'Readings of DEV00002' }).getByRole('row');
  await expect(rows).toHaveCount(41);
  // The latest reading first.
  await expect(rows.nth(1).getByRole('cell').first()).toHaveText('2015-02-09');
  await noAxeViolations(page);

  // Back to the list, then the search box opens a device by its id.
  await panel.getByRole('link', { name: /Back to the day/ }).click();
  await page.getByLabel('Find a device').fill('dev00004');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { name: 'Device DEV00004' })).toBeVisible();
});

test('a generated sample fleet is one click away, says so, and some of its devices fail', async ({ page }) => {
  await openFleet(page);
  await page.getByRole('button', { name: 'Try a generated sample fleet' }).click();
  await expect(page.getByTestId('sample-note')).toContainText('generated sample data');
  await expect(page.getByTestId('fleet-devices')).toHaveText('36 devices');
  await expect(page.getByTestId('fleet-summary-failures')).toHaveText('5 failures');
  await expect(page.getByTestId('fleet-gaps')).toContainText('1 device has a gap');
});

test('on a phone (390 px) the ranking shows rank, device, risk and inspect without sideways scroll; the other columns are one tap away', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openFleet(page);
  await page.getByRole('button', { name: 'Try a generated sample fleet' }).click();
  const list = page.getByRole('table', { name: 'Ranked devices' });
  await expect(list.getByRole('columnheader')).toHaveText(['rank', 'device', 'risk', 'inspect']);
  const fits = () =>
    list.evaluate((t) => ({ table: t.scrollWidth <= t.clientWidth, page: document.documentElement.scrollWidth <= window.innerWidth }));
  expect(await fits()).toEqual({ table: true, page: true });
  const inspect = list.getByRole('row').nth(1).getByRole('cell').nth(3);
  const box = (await inspect.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: /Show all columns/ }).click();
  await expect(list.getByRole('columnheader', { name: 'days flagged' })).toBeVisible();
  await expect(list.getByRole('columnheader', { name: /moved most/ })).toBeAttached();
});

test('gaps: the summary counts the devices with a long gap, the ranking lists one that stopped reporting, its page lists its gaps', async ({
  page,
}) => {
  const lines = (fleetCsv as (o: object) => string)({ devices: 6, days: 40, degrading: [2], withFailure: false }).split('\n');
  // DEV00003 misses 2015-01-11 .. 2015-01-21 (11 days); DEV00004 stops after 2015-01-31.
  const kept = lines.filter((l) => {
    const [date, device] = l.split(',');
    if (device === 'DEV00003') return !(date! >= '2015-01-11' && date! <= '2015-01-21');
    if (device === 'DEV00004') return date! <= '2015-01-31';
    return true;
  });
  await openFleet(page);
  await load(page, 'gaps.csv', kept.join('\n'));
  await expect(page.getByTestId('fleet-gaps')).toHaveText('1 device has a gap of more than 7 days without a reading.');
  const silent = page.getByTestId('fleet-silent');
  await expect(silent).toContainText('1 device has stopped reporting');
  await silent.getByText(/stopped reporting/).click();
  await expect(silent.getByRole('listitem')).toHaveText('DEV00004: last seen 2015-01-31, 9 days before');
  await page.getByLabel('Find a device').fill('DEV00003');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('device-gaps')).toContainText(
    '1 gap of more than 7 days without a reading: 11 days after 2015-01-10 (next reading 2015-01-22)',
  );
});

test('a log with bad dates and a duplicate: each bad date listed by line, the rule stated, the counts add up', async ({ page }) => {
  const text = [
    'device,date,attribute1,attribute2,attribute3,attribute4,attribute5,attribute6,attribute7,attribute9',
    'A,2015-01-02,1,0,0,0,6,400000,0,0',
    'A,2015-02-30,1,0,0,0,6,400000,0,0',
    'B,01/03/2015,1,0,0,0,6,400000,0,0',
    'A,2015-01-01,1,0,0,0,6,400000,0,0',
    'B,2015-01-02,1,0,0,0,6,400000,0,0',
    'B,2015-01-02,2,0,0,0,6,400000,0,0',
    'B,2015-1-3,1,0,0,0,6,400000,0,0',
  ].join('\n');
  await openFleet(page);
  await load(page, 'dates.csv', text);
  await expect(page.getByTestId('fleet-summary')).toContainText('7 rows read = 3 kept + 3 rejected + 1 duplicate set aside');
  const rejected = page.getByRole('table', { name: 'Rejected rows' });
  // One table in every view (components/ui/rejected-rows.tsx): the problem is its last cell.
  await expect(rejected.locator('tbody td:last-child')).toHaveText([
    'Line 3: date "2015-02-30" is not a real calendar date',
    'Line 4: date "01/03/2015" is not an ISO date (expected YYYY-MM-DD, e.g. 2015-01-31)',
    'Line 8: date "2015-1-3" is not an ISO date (expected YYYY-MM-DD, e.g. 2015-01-31)',
  ]);
  await expect(page.getByTestId('fleet-summary')).toContainText('the one later in the file is kept');
  await page.getByText('Duplicates set aside (1)').click();
  await expect(page.getByRole('list', { name: 'Duplicates set aside' })).toContainText('Line 6 (B, 2015-01-02) set aside: line 7 gives');
});

const dataFile = join(process.env.DATA_DIR ?? '', 'device_failure.csv');
test('the full device log: counts, and the daily top-K figures equal to the training report', async ({ page }) => {
  test.skip(!process.env.DATA_DIR || !existsSync(dataFile), 'DATA_DIR is not set');
  const shipped = fleetModel!.fleet?.shipped_on_training_log;
  test.skip(!shipped, 'the manifest has no fleet figures');
  test.setTimeout(120_000);
  await openFleet(page);
  await page.getByLabel('Choose a daily log (CSV or Parquet)').setInputFiles(dataFile);
  const summary = page.getByTestId('fleet-summary');
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('fleet-rows-read')).toHaveText('124,494 rows read');
  await expect(page.getByTestId('fleet-rows-rejected')).toHaveText('0 rejected');
  await expect(page.getByTestId('fleet-devices')).toHaveText('1,168 devices');
  await expect(page.getByTestId('fleet-summary-failures')).toHaveText(`${shipped!.failures} failures`);
  await page.getByLabel('We can inspect').fill(String(fleetModel!.fleet!.k));
  const fmt = (n: number) => n.toLocaleString('en-US');
  await expect(page.getByTestId('fleet-caught-on-day')).toHaveText(fmt(shipped!.caught_on_day), { timeout: 30_000 });
  for (const id of ['caught-on-day', 'caught-within-3', 'caught-within-7', 'caught-within-30', 'failures', 'lead-median']) {
    await expect(page.getByTestId(`fleet-${id}`)).toHaveText((await page.getByTestId(`fleet-shipped-${id}`).textContent())!);
  }
});
