import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { fillForm, goldenValues, readDomain, readGolden, waitForModels } from './helpers';

const heart = readDomain('heart');
const golden = readGolden('heart-baseline');

async function predictWithRef(page: Page, i: number, ref: string) {
  await fillForm(page, heart.fields, goldenValues(golden, i));
  await page.getByRole('button', { name: 'Predict' }).click();
  await expect(page.getByTestId('probability')).toBeVisible();
  await page.getByLabel(/Patient reference for the printout/).fill(ref);
  await page.getByLabel(/Patient reference for the printout/).blur();
}

test('the history is off by default; when on it survives a reload, exports the right rows, re-opens one and clears', async ({ page }) => {
  await page.goto('#/heart');
  await waitForModels(page);
  const optIn = page.getByRole('checkbox', { name: 'Keep a history on this computer' });
  await expect(optIn).not.toBeChecked();
  // Off: a prediction is not kept.
  await predictWithRef(page, 0, 'NOT-KEPT');
  await page.goto('#/history');
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await expect(page.getByText(/Nothing leaves the\s+browser: no server/)).toBeVisible();
  await expect(page.getByText('Anyone using this browser profile can read them')).toBeVisible();

  await page.goto('#/heart');
  await waitForModels(page);
  await optIn.check();
  await predictWithRef(page, 3, 'P-003');
  await predictWithRef(page, 7, 'Q-007');

  await page.reload();
  await page.goto('#/history');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Filter by reference' }).fill('p-0');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Filter by reference' }).fill('');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export all as CSV/ }).click()]);
  const out = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), { header: true, skipEmptyLines: true });
  expect(out.data.map((r) => r.reference).sort()).toEqual(['P-003', 'Q-007']);
  for (const row of out.data) {
    const i = row.reference === 'P-003' ? 3 : 7;
    expect(Math.abs(Number(row.probability) - golden.probabilities[i]![1])).toBeLessThanOrEqual(1e-5);
    expect(row.model).toBe('heart-baseline');
    expect(Number(row['age (years)'])).toBe(golden.inputs[i]![golden.features.indexOf('age')]);
    expect(row.evidence).toMatch(/^Of the \d+ patients in the study whose out-of-fold risk was close to this one .* Interval on this risk: /);
  }

  await page.getByRole('button', { name: 'Re-open P-003 in the form' }).click();
  await expect(page).toHaveURL(/#\/heart$/);
  await expect(page.getByTestId('reopen-note')).toContainText('P-003');
  const age = golden.inputs[3]![golden.features.indexOf('age')]!;
  await expect(page.getByRole('textbox', { name: /^Age/ })).toHaveValue(String(age));
  await expect(page.getByTestId('probability')).toHaveAttribute('data-p', /\d/);
  expect(Math.abs(Number(await page.getByTestId('probability').getAttribute('data-p')) - golden.probabilities[3]![1])).toBeLessThanOrEqual(1e-5);
  // What was shown beside the risk then is kept with the record and shown again; the same model gives the same words now.
  const stored = page.getByTestId('reopen-evidence').getByRole('listitem');
  await expect(stored.first()).toHaveText(await page.locator('.result').getByTestId('similar-sentence').innerText());
  await expect(stored.last()).toContainText(/^Interval on this risk: /);

  await page.goto('#/history');
  await page.getByRole('button', { name: 'Delete all' }).click();
  await page.getByRole('button', { name: /Yes, delete all 2/ }).click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('history-empty')).toBeVisible();
});

test('a record from an older model version re-opens with a note and the new probability beside the old', async ({ page }) => {
  await page.goto('#/history');
  await page.getByRole('checkbox', { name: 'Keep a history on this computer' }).check();
  await page.evaluate(
    async (values) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('prognos-history');
        req.onupgradeneeded = () => req.result.createObjectStore('records');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const record = {
        id: 'old-1',
        created: '2025-06-01T09:00:00.000Z',
        domain: 'heart',
        reference: 'OLD-1',
        model: { id: 'heart-baseline', version: '0.9.0', sha256: '0'.repeat(64) },
        threshold: 0.4,
        threshold_changed: false,
        probability: 0.123,
        class: 'survived',
        inputs: values,
        units: {},
        entered: { number_format: 'decimal point (1.5)', units: {} },
      };
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('records', 'readwrite');
        tx.objectStore('records').put(record, record.id);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    goldenValues(golden, 5),
  );
  await page.reload();
  await page.getByRole('button', { name: 'Re-open OLD-1 in the form' }).click();
  await expect(page.getByTestId('model-changed-note')).toContainText('The model has changed since');
  await expect(page.getByTestId('model-changed-note')).toContainText('beside the stored 12 %');
});

test('records that cannot be read are counted, named and kept until deleted, not hidden', async ({ page }) => {
  await page.goto('#/history');
  await expect(page.getByTestId('history-empty')).toBeVisible();
  // Four damaged records, written as another version or a broken disk might leave them.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('prognos-history');
      r.onupgradeneeded = () => r.result.createObjectStore('records');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('records', 'readwrite');
    const store = tx.objectStore('records');
    store.put({ id: 'old-1', probability: 'high' }, 'old-1');
    store.put('garbage', 'old-2');
    store.put({ id: 'old-3', created: 5 }, 'old-3');
    store.put(null, 'old-4');
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  });
  await page.reload();
  const box = page.getByTestId('history-unreadable');
  await expect(box).toContainText('4 kept records could not be read');
  await expect(box.getByRole('listitem')).toHaveCount(4);
  await expect(page.getByTestId('history-empty')).toHaveCount(0);
  await box.getByRole('listitem').filter({ hasText: 'old-2' }).getByRole('button', { name: 'Delete this record' }).click();
  await expect(box).toContainText('3 kept records could not be read');
});
