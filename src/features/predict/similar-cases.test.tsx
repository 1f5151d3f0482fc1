// Beside a result: the sentence and the icon array read the manifest's lookup (training's figures).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { similarCases } from '@/domain/evidence';
import { readManifest } from '@/test/golden';
import { SimilarCases } from './similar-cases';
import { evidenceForDownload } from './similar-cases-data';

const models = readManifest().models.filter((m) => m.evidence);

describe.skipIf(models.length === 0)('similar cases beside a result', () => {
  for (const m of models) {
    it(`${m.id}: sentence, 100 icons and interval at every grid risk match the lookup`, () => {
      const e = m.evidence!;
      for (const r of e.similar.rows.filter((_, i) => i % 5 === 0)) {
        const html = renderToStaticMarkup(<SimilarCases evidence={e} p1={r.risk} />);
        const s = similarCases(e, r.risk);
        expect([s.n, s.events]).toEqual([r.n, r.events]);
        if (r.n === 0) {
          expect(html).toContain('None of the patients in the study');
          expect(html).not.toContain('<svg');
          continue;
        }
        expect(html).toContain(`Of the ${r.n} patients in the study whose out-of-fold risk was close to this one`);
        expect(html).toContain(`${r.events} died`);
        expect((html.match(/class="icon-on"/g) ?? []).length).toBe(Math.round((r.events / r.n) * 100));
        expect((html.match(/<g /g) ?? []).length).toBe(100);
        expect(html.includes('too few for a firm figure')).toBe(r.n < e.similar.small_n);
        const dl = evidenceForDownload(m, r.risk) as { similar_cases: { n: number; events: number }; risk_interval?: { low: number } };
        expect(dl.similar_cases).toMatchObject({ n: r.n, events: r.events });
        expect(dl.risk_interval).toBeDefined();
      }
    });
  }
});
