// The TRIPOD+AI card shows the figures training computed (training/prognos_train/evidence.py,
// recomputed in Python by training/test_evidence.py): rendered here from the committed manifest.
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseCardManifest } from '@/domain/manifest';
import { repoRoot } from '@/test/golden';
import { TripodCard } from './tripod-card';
import { itemsShown, tripodItems, usefulRange } from './tripod-items';

const cards = parseCardManifest(JSON.parse(readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8')));
const withCard = cards.models.filter((m) => m.evaluation.out_of_fold);
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");

describe.skipIf(withCard.length === 0)('the TRIPOD+AI card', () => {
  for (const m of withCard) {
    it(`${m.id}: every claimed item is on the card, with the manifest's figures`, () => {
      const html = renderToStaticMarkup(<TripodCard m={m} open />);
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
      const useful = usefulRange(oof.decision_curve);
      expect(text(html)).toContain(useful ? `Net benefit above both from threshold` : 'At none of the');
      if (oof.interval_validity) {
        const v = oof.interval_validity;
        expect(text(html)).toContain(`in ${v.inside} of ${v.groups.length} groups`);
      }
    });
  }
  it('the useful range of a decision curve: where the model beats treat-all and treat-none', () => {
    const rows = [
      { threshold: 0.1, net_benefit: 0.2, treat_all: 0.25 },
      { threshold: 0.2, net_benefit: 0.2, treat_all: 0.15 },
      { threshold: 0.3, net_benefit: 0.1, treat_all: 0.03 },
      { threshold: 0.4, net_benefit: -0.01, treat_all: -0.1 },
    ];
    expect(usefulRange(rows)).toEqual([0.2, 0.3]);
    expect(usefulRange(rows.slice(3))).toBeNull();
  });

  it('the device cards say which items do not apply', () => {
    for (const m of withCard.filter((x) => x.domain === 'device')) {
      expect(text(renderToStaticMarkup(<TripodCard m={m} open />))).toContain('Not applicable to this model');
    }
  });
});
