import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { readDomain, waitForModels } from './helpers';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function predictSample(page: Page) {
  await page.goto('#/heart');
  await waitForModels(page);
  await page.getByRole('button', { name: readDomain('heart').presets[1]!.label }).click();
  await expect(page.getByTestId('probability')).toHaveText(/%/);
}

test.describe('installable', () => {
  test('the web manifest lists icons that are served with the sizes and types it states', async ({ page, request }) => {
    await page.goto('#/heart');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(href!, page.url());
    const manifest = (await (await request.get(manifestUrl.href)).json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Prognos', display: 'standalone' });
    const pngs: { size: string; purpose: string }[] = [];
    for (const icon of manifest.icons) {
      const res = await request.get(new URL(icon.src, manifestUrl).href);
      expect(res.status(), icon.src).toBe(200);
      expect(res.headers()['content-type'], icon.src).toContain(icon.type);
      const body = await res.body();
      if (icon.type === 'image/svg+xml') {
        expect(body.toString('utf8')).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
        continue;
      }
      const { width, height } = pngSize(body);
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
      pngs.push({ size: icon.sizes, purpose: icon.purpose ?? 'any' });
    }
    // What browsers require to offer installation, and a maskable icon for adaptive launchers.
    expect(pngs).toEqual(
      expect.arrayContaining([
        { size: '192x192', purpose: 'any' },
        { size: '512x512', purpose: 'any' },
        { size: '512x512', purpose: 'maskable' },
      ]),
    );
    // The page's own icon is the SVG one.
    const favicon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect((await request.get(new URL(favicon!, page.url()).href)).headers()['content-type']).toContain('image/svg+xml');
  });

  test('Chromium reports no installability error', async ({ playwright, launchOptions, baseURL }) => {
    // A profile on disk: Chromium never offers installation in an incognito-like context.
    const dir = mkdtempSync(join(tmpdir(), 'prognos-install-'));
    const context = await playwright.chromium.launchPersistentContext(dir, { ...launchOptions, baseURL });
    try {
      const page = await context.newPage();
      await page.goto('#/heart');
      await waitForModels(page);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
      expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
      const { url } = (await cdp.send('Page.getAppManifest')) as { url: string };
      expect(url).toMatch(/manifest\.webmanifest$/);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the skip link moves focus to the main region and keeps the route', async ({ page }) => {
  await page.goto('#/device');
  await waitForModels(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  expect(new URL(page.url()).hash).toBe('#/device');
  await expect(page.getByRole('link', { name: 'Device', exact: true })).toHaveAttribute('aria-current', 'page');
  // The next Tab goes into the main region, past the header's links.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.querySelector('main')!.contains(document.activeElement))).toBe(true);
});

test.describe('charts', () => {
  test('each chart is one named image with its figures in text; none is an unnamed application', async ({ page }) => {
    await predictSample(page);
    await expect(
      page.getByRole('img', {
        name: /^Risk of heart-baseline: \d+ % on a 0–100 % scale, (at or above|below) the model's alert threshold of \d+\.\d %\.$/,
      }),
    ).toBeVisible();
    await page.getByText(/^Compare all \d+ models/).click();
    await expect(page.getByRole('img', { name: /^Risk per model, each with its alert threshold: heart-baseline \d/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Change in the risk per input/ })).toBeVisible();
    await expect(page.locator('[role="application"]')).toHaveCount(0);
    await expect(page.locator('svg.recharts-surface[tabindex]')).toHaveCount(0);
    // The what-if curves: one named image per input the model reads.
    const whatIf = page.getByTestId('what-if').getByRole('img', {
      name: /^Risk of heart-baseline as .+ moves from .+; alert threshold \d+\.\d %\. Its points are in the table that follows\.$/,
    });
    await expect(whatIf.first()).toBeVisible();
    const curves = await whatIf.count();
    expect(curves).toBeGreaterThan(0);
    // The icon array of similar patients is one named image too.
    await expect(page.getByRole('img', { name: /^\d+ of 100 people marked: of patients like this one in the study/ })).toHaveCount(1);
    // Inside each named image, nothing else is exposed (the drawing is hidden from the tree).
    await expect(page.getByRole('img')).toHaveCount(4 + curves);

    await page.goto('#/models');
    const roc = page.getByRole('img', {
      name: 'ROC curve: true positive rate against false positive rate, for heart-baseline; its points are in the table that follows.',
    });
    await expect(roc).toBeVisible();
    // The text alternative: a table of the curve's points, in reading order after the chart.
    const table = page.getByRole('table', { name: /^ROC curve, heart-baseline: 11 of its \d+ points$/ });
    await expect(table).toHaveCount(1);
    await expect(table.getByRole('row')).toHaveCount(12);
    await expect(table.getByRole('row').nth(1)).toHaveText(/^0\.0000\.000$/);
    await expect(table.getByRole('row').last()).toHaveText(/^1\.0001\.000$/);
    await expect(page.locator('[role="application"]')).toHaveCount(0);
  });

  test('axis labels and tick labels fit inside their charts', async ({ page }) => {
    await predictSample(page);
    await page.getByText(/^Compare all \d+ models/).click();
    await expect(page.getByRole('img', { name: /^Change in the risk per input/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Risk per model/ })).toBeVisible();
    for (const path of ['#/heart', '#/models']) {
      if (path === '#/models') {
        await page.goto(path);
        await expect(page.getByRole('img', { name: /^Calibration/ }).first()).toBeVisible();
      }
      const { bad, charts } = await page.evaluate(() => {
        const bad: string[] = [];
        const svgs = document.querySelectorAll('svg.recharts-surface');
        for (const svg of svgs) {
          const box = svg.getBoundingClientRect();
          for (const t of svg.querySelectorAll('text')) {
            const r = t.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
              bad.push(t.textContent ?? '');
          }
        }
        return { bad, charts: svgs.length };
      });
      expect(charts, path).toBeGreaterThan(0);
      expect(bad, path).toEqual([]);
    }
  });
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });

  test('follows prefers-color-scheme', async ({ page }) => {
    await page.goto('#/heart');
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const lum = (c: string) =>
      c
        .match(/\d+/g)!
        .slice(0, 3)
        .reduce((a, v) => a + Number(v), 0) / 3;
    expect(lum(dark)).toBeLessThan(40);
    expect(lum(light)).toBeGreaterThan(230);
  });

  for (const path of ['#/heart', '#/device', '#/heart/batch', '#/models', '#/integration']) {
    test(`no accessibility violations in the dark theme (axe, WCAG 2 A/AA) on ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByText('Loading the models')).toHaveCount(0, { timeout: 30_000 });
      if (path === '#/heart') {
        await page.getByRole('button', { name: readDomain('heart').presets[0]!.label }).click();
        await expect(page.getByTestId('probability')).toHaveText(/%/);
      }
      if (path === '#/models') await expect(page.getByRole('img', { name: /^ROC curve/ }).first()).toBeVisible();
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
    });
  }
});

test.describe('dark theme: the printed report and the phone layout', () => {
  test.use({ colorScheme: 'dark' });

  test('printing from the dark theme gives dark text on white paper, on one page', async ({ page }) => {
    await predictSample(page);
    await expect(page.getByRole('heading', { name: 'What moved this prediction' })).toBeVisible();
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const report = page.getByRole('article', { name: 'Printable report' });
    await expect(report).toBeVisible();
    const lum = (c: string) =>
      c
        .match(/\d+/g)!
        .slice(0, 3)
        .reduce((a, v) => a + Number(v), 0) / 3;
    const colours = await report.evaluate((el) => ({
      page: getComputedStyle(document.documentElement).backgroundColor,
      text: getComputedStyle(el).color,
      risk: getComputedStyle(el.querySelector('.report-risk') ?? el).color,
    }));
    expect(lum(colours.page)).toBeGreaterThan(250);
    expect(lum(colours.text)).toBeLessThan(60);
    expect(lum(colours.risk)).toBeLessThan(120);
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).toHaveLength(1);
  });

  test.describe('phone, 390 × 844', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

    test('no sideways scroll and no contrast or other axe violations with a result shown', async ({ page }) => {
      await predictSample(page);
      await page.getByText(/^Compare all \d+ models/).tap();
      await expect(page.getByRole('img', { name: /^Risk per model/ })).toBeVisible();
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help} (${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
    });
  });
});

test('first view: the worker starts from the slim manifest; manifest.json is served as training wrote it', async ({ page, request }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(new URL(r.url()).pathname));
  await predictSample(page);
  expect(urls.filter((u) => u.endsWith('/models/manifest.core.json'))).toHaveLength(1);
  expect(urls.filter((u) => u.endsWith('/models/manifest.json'))).toHaveLength(0);
  // The runtime: requested once, by the inference worker (the page does not fetch it too).
  expect(urls.filter((u) => u.endsWith('.wasm'))).toHaveLength(1);
  const served = await (await request.get('models/manifest.json')).body();
  expect(served.equals(readFileSync(new URL('../public/models/manifest.json', import.meta.url)))).toBe(true);
  // The model cards still have their curves, from the full file, fetched when that view opens.
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('table', { name: /^ROC curve, heart-rf-seed/ })).toHaveCount(1);
  expect(urls.filter((u) => u.endsWith('/models/manifest.json'))).toHaveLength(1);
});
