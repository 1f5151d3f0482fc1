import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { parseDeclaration, toDomainSpec } from '../src/domain/declaration';
import type { DomainSpec } from '../src/domain/domain-spec';
import type { Values } from '../src/domain/to-vector';
import { optionsOf, type FieldSpec } from '../src/domain/field-spec';
import type { Golden } from '../src/test/golden';

export { readGolden } from '../src/test/golden';

/** A domain's declaration, read the way the app reads it (Node has no import.meta.glob). */
export function readDomain(id: string): DomainSpec {
  const path = new URL(`../domains/${id}.json`, import.meta.url);
  return toDomainSpec(parseDeclaration(JSON.parse(readFileSync(path, 'utf8')), path.pathname));
}

export function goldenValues(g: Golden, i: number): Values {
  return Object.fromEntries(g.features.map((f, j) => [f, g.inputs[i]![j]!]));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Fill a form the way a person does: find each input by its visible label. */
export async function fillForm(page: Page, fields: readonly FieldSpec[], values: Record<string, number | string | undefined>) {
  for (const f of fields) {
    const v = values[f.name];
    const options = optionsOf(f);
    if (options) {
      if (v === undefined || v === '') continue;
      const opt = options.find((o) => o.value === Number(v));
      await page.getByRole('group', { name: f.label, exact: true }).getByRole('radio', { name: opt!.label, exact: true }).check();
    } else {
      await page.getByRole('textbox', { name: new RegExp(`^${escape(f.label)}(\\s|$)`) }).fill(v === undefined ? '' : String(v));
    }
  }
}

/** "91.23 %" -> 0.9123 */
export function parsePct(text: string | null): number {
  const m = /(-?\d+(?:\.\d+)?)\s*%/.exec(text ?? '');
  if (!m) throw new Error(`No percentage in "${text}"`);
  return Number(m[1]) / 100;
}

/** The exact probability behind a shown risk (the text is rounded to whole percentages). */
export async function exactP(locator: Locator): Promise<number> {
  const v = await locator.getAttribute('data-p');
  if (v === null) throw new Error('No data-p on the probability');
  return Number(v);
}

export async function waitForModels(page: Page) {
  await expect(page.getByRole('button', { name: 'Predict' })).toBeEnabled({ timeout: 30_000 });
}

/** Record every request the page makes, to prove nothing leaves the origin. */
export function recordRequests(page: Page) {
  const seen: { url: string; body: string | null }[] = [];
  page.on('request', (r) => seen.push({ url: r.url(), body: r.postData() }));
  page.on('worker', (w) => seen.push({ url: w.url(), body: null }));
  return seen;
}

export async function waitForBatch(page: Page) {
  await expect(page.getByLabel('Choose a CSV or Parquet file')).toBeEnabled({ timeout: 30_000 });
}
