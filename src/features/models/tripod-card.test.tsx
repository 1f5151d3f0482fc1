// The TRIPOD+AI card shows the figures training computed (training/prognos_train/evidence.py,
// recomputed in Python by training/test_evidence.py): rendered here from the committed manifest.
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseCardManifest } from '@/domain/manifest';
import { repoRoot } from '@/test/golden';
import { TripodCard } from './tripod-card';
import { itemsShown, tripodItems } from './tripod-items';

const cards = parseCardManifest(JSON.parse(readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8')));
const withCard = cards.models.filter((m) => m.evaluation.out_of_fold);
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");

describe.skipIf(withCard.length === 0)('the TRIPOD+AI card', () => {
  for (const m of withCard) {
    it(`${m.id}: every claimed item is on the card, with the manifest's figures`, () => {
      const html = renderToStaticMarkup(<TripodCard m={m} />);
      const oof = m.evaluation.out_of_fold!;
      for (const id of itemsShown(m.evaluation.tripod ?? { not_applicable: [] })) {
        expect(html).toContain(`data-tripod-item="${tripodItems[id].number}"`);
        expect(text(html)).toContain(`TRIPOD+AI ${tripodItems[id].number} ${tripodItems[id].title}`);
      }
      const c = oof.calibration_fit;
      expect(text(html)).toContain(`Calibration intercept ${c.intercept.toFixed(3)}`);
      expect(text(html)).toContain(`slope ${c.slope.toFixed(3)}`);
      expect(text(html)).toContain(`ROC AUC of the out-of-fold risks: ${oof.discrimination.roc_auc.toFixed(3)}`);
      for (const g of oof.subgroups) expect(text(html)).toContain(`${g.subgroup}: ${g.label}`);
      const rows = html.split('data-testid="tripod-subgroups"')[1]!.split('</table>')[0]!.match(/<tr>/g) ?? [];
      expect(rows.length).toBe(oof.subgroups.length + 1);
      if (oof.interval_validity) {
        const v = oof.interval_validity;
        expect(text(html)).toContain(`in ${v.inside} of ${v.groups.length} groups`);
      }
    });
  }
  it('the device cards say which items do not apply', () => {
    for (const m of withCard.filter((x) => x.domain === 'device')) {
      expect(text(renderToStaticMarkup(<TripodCard m={m} />))).toContain('Not applicable to this model');
    }
  });
});
