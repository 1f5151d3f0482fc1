import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { waitForModels } from './helpers';

// Two deployments of the build behind one address: the first, then a second built from a
// public folder whose manifest bumps one model's version (a real build: new integrity pins,
// new service worker). The page must say so, list the change and reload only when asked.

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
};

function serve(root: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root(), path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${a.port}/` });
    }),
  );
}

test('a new deployment is announced with its model changes, and the page reloads only when asked', async ({ page }) => {
  test.setTimeout(300_000);
  const tmp = mkdtempSync(join(tmpdir(), 'prognos-update-'));
  const v1 = join(tmp, 'v1');
  const v2 = join(tmp, 'v2');
  cpSync('dist', v1, { recursive: true });
  const pub = join(tmp, 'public');
  cpSync('public', pub, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(pub, 'models/manifest.json'), 'utf8'));
  const bumped = manifest.models[0];
  const oldVersion = bumped.version;
  bumped.version = '99.0.0';
  writeFileSync(join(pub, 'models/manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  execFileSync('npx', ['vite', 'build', '--outDir', v2, '--emptyOutDir', '--logLevel', 'error'], {
    env: { ...process.env, PROGNOS_PUBLIC_DIR: pub },
    stdio: 'inherit',
  });
  let root = v1;
  const { server, url } = await serve(() => root);
  try {
    await page.goto(url);
    await waitForModels(page);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    await page.evaluate(() => ((window as unknown as { firstLoad: boolean }).firstLoad = true));

    root = v2; // deployed
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const banner = page.getByTestId('update-banner');
    await expect(banner).toContainText('A new version is available', { timeout: 30_000 });
    await expect(banner.getByRole('listitem')).toHaveText([`${bumped.id}: version ${oldVersion} → 99.0.0`]);
    // Nothing reloads by itself.
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { firstLoad?: boolean }).firstLoad)).toBe(true);

    await banner.getByRole('button', { name: 'Reload with the new version' }).click();
    const firstLoad = () => page.evaluate(() => (window as unknown as { firstLoad?: boolean }).firstLoad ?? false).catch(() => true); // mid-reload
    await expect.poll(firstLoad, { timeout: 30_000 }).toBe(false);
    await page.goto(`${url}#/models`);
    await expect(page.getByText(/Version 99\.0\.0/)).toBeVisible({ timeout: 30_000 });
  } finally {
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
