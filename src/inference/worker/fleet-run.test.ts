// The worker's fleet path (stream a log, check dates, set duplicates aside, compute history
// features, score, rank) run in Node with the real engine. device-rf reads metric1..9, which
// the device declaration's history also defines (op "value"): scored as a history model, every
// kept reading must get scikit-learn's golden probability of the golden row it was written from.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { simulatePolicy } from '@/domain/fleet-policy';
import { formatIsoDay, parseIsoDay } from '@/domain/history';
import type { FleetSummary, FromWorker } from '@/inference/protocol';
import { readGolden } from '@/test/golden';
import { device, engine, manifest } from '@/test/worker-models';
import { answerFleet } from './fleet-queries';
import { runFleet, type FleetData } from './fleet-run';
import { PortScorer, serveScores } from './scorers';

const model = manifest.models.find((m) => m.id === 'device-rf')!;
const golden = readGolden('device-rf');
const day0 = parseIsoDay('2015-03-01')!;

/** Four devices x 12 days from golden rows, written in reverse order, with bad dates and a duplicate. */
function logCsv() {
  const head = ['date', 'device', 'failure', ...golden.features.map((f) => f.replace('metric', 'attribute'))];
  const rows: { cells: (string | number)[]; golden: number }[] = [];
  let g = 0;
  for (let d = 0; d < 12; d++) {
    for (let e = 0; e < 4; e++) {
      rows.push({ cells: [formatIsoDay(day0 + d), `W${e}`, e === 2 && d === 11 ? 1 : 0, ...golden.inputs[g]!], golden: g });
      g++;
    }
  }
  rows.reverse();
  // W1's first day is on line 48 (reversed: 47 - 1 rows before it, after the header); a second
  // row for it on line 50 comes later in the file, so it is the one kept.
  rows.push({ cells: [formatIsoDay(day0), 'W1', 0, ...golden.inputs[100]!], golden: 100 });
  const lines = [head.join(','), ...rows.map((r) => r.cells.join(','))];
  lines.push(['2015-02-30', 'W0', 0, ...golden.inputs[0]!].join(',')); // not a real date
  lines.push(['01/03/2015', 'W0', 0, ...golden.inputs[0]!].join(',')); // not ISO
  return { text: lines.join('\n') + '\n', rows };
}

async function run(text: string, helpers: PortScorer[] = []) {
  const msgs: FromWorker[] = [];
  const data = await runFleet(engine, model, device, new Blob([text]), {
    id: 3,
    post: (m) => msgs.push(m),
    signal: new AbortController().signal,
    helpers,
  });
  return { msgs, data };
}

/** A helper worker's end served over a real MessageChannel, as helper.worker.ts serves it. */
async function helper() {
  const { port1, port2 } = new MessageChannel();
  serveScores(port1, Promise.resolve(engine), (id) => manifest.models.find((m) => m.id === id)!);
  const scorer = new PortScorer(port2);
  for (let i = 0; i < 500 && scorer.room() === 0; i++) await new Promise((r) => setTimeout(r, 2));
  return { scorer, close: () => (port1.close(), port2.close()) };
}

describe('runFleet', () => {
  it("counts add up, bad dates are rejected by line, the later duplicate wins, and probabilities are scikit-learn's", async () => {
    const { text, rows } = logCsv();
    const { msgs, data } = await run(text);
    const done = msgs.find((m) => m.type === 'fleet-done') as Extract<FromWorker, { type: 'fleet-done' }>;
    const s = done.summary as FleetSummary;
    expect(s.rowsRead).toBe(51);
    expect(s.rowsKept + s.rowsRejected + s.duplicates).toBe(s.rowsRead);
    expect([s.rowsKept, s.rowsRejected, s.duplicates, s.devices, s.days, s.failures]).toEqual([48, 2, 1, 4, 12, 1]);
    expect(s.duplicateList).toEqual([{ line: 48, keptLine: 50, entity: 'W1', day: day0 }]);
    const rejected = msgs.flatMap((m) => (m.type === 'fleet-progress' ? m.rejected : []));
    expect(rejected.map((e) => e.message)).toEqual([
      'Line 51: date "2015-02-30" is not a real calendar date',
      'Line 52: date "01/03/2015" is not an ISO date (expected YYYY-MM-DD, e.g. 2015-01-31)',
    ]);
    const d = data as FleetData;
    const c = d.fleet.c;
    // Each kept reading (by device, by day) carries the golden row it was written from.
    for (let pos = 0; pos < c.day.length; pos++) {
      const dayIdx = c.day[pos]! - day0;
      const e = Number(c.fleet.entities[c.entity[pos]!]!.slice(1));
      const g = dayIdx === 0 && e === 1 ? 100 : rows.find((r) => r.cells[0] === formatIsoDay(c.day[pos]!) && r.cells[1] === `W${e}`)!.golden;
      expect(Math.abs(c.p1[pos]! - golden.probabilities[g]![1])).toBeLessThanOrEqual(1e-5);
    }
  });

  it('a helper worker that takes the chunks computes their features itself, with the same probabilities', async () => {
    const { text } = logCsv();
    const alone = (await run(text)).data as FleetData;
    const h = await helper();
    const { msgs, data } = await run(text, [h.scorer]);
    h.close();
    const done = msgs.find((m) => m.type === 'fleet-done') as Extract<FromWorker, { type: 'fleet-done' }>;
    expect(done.summary!.timings.helperRows).toBe(48);
    expect(done.summary!.timings.featureMs).toBe(0);
    expect(Array.from((data as FleetData).fleet.c.p1)).toEqual(Array.from(alone.fleet.c.p1));
  });

  it('answers the day list (ranked, capacity marked) and a device timeline', async () => {
    const { data } = await run(logCsv().text);
    const d = data as FleetData;
    const list = answerFleet(d, { kind: 'day', day: null, k: 2 }) as NonNullable<ReturnType<FleetData['fleet']['dayList']>>;
    expect(formatIsoDay(list.day)).toBe('2015-03-12');
    expect(list.devices.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
    expect(list.devices.map((x) => x.inTopK)).toEqual([true, true, false, false]);
    const ps = list.devices.map((x) => x.p1);
    expect([...ps].sort((a, b) => b - a)).toEqual(ps);
    const t = answerFleet(d, { kind: 'device', entity: 'W1', k: 2 });
    expect(t && 'days' in t ? t.days.length : 0).toBe(12);
    expect(answerFleet(d, { kind: 'search', text: 'w' })).toEqual(['W3', 'W2', 'W1', 'W0']);
  });

  it("answers the hold-back policy from the log's day ranking, as the simulation with its own sort does", async () => {
    const { data } = await run(logCsv().text);
    const d = data as FleetData;
    const c = d.fleet.c;
    const spec = getDomain('device').inspections!;
    const log = { day: c.day, entity: c.entity, label: c.label, p: c.p1 };
    const sorted = [0, 7].map((holdDays) => simulatePolicy(log, spec, 2, { holdDays, riseFactor: spec.riseFactor }));
    expect(sorted.map((r) => r.failures)).toEqual([1, 1]);
    expect(answerFleet(d, { kind: 'policy', k: 2, holdDays: 7 })).toEqual(sorted);
  });

  it('writes the downloads: a ranking and every scored row with its features', async () => {
    const { data } = await run(logCsv().text);
    const d = data as FleetData;
    const ranking = await (answerFleet(d, { kind: 'download-ranking', day: null, k: 2 }) as Blob).text();
    const r = Papa.parse<string[]>(ranking.trim()).data;
    expect(r[0]).toEqual(['rank', 'device', 'date', 'probability', 'above_threshold', 'in_top_2', 'streak_days', 'moved_most']);
    expect(r).toHaveLength(5);
    const all = Papa.parse<string[]>((await (answerFleet(d, { kind: 'download-rows' }) as Blob).text()).trim()).data;
    expect(all).toHaveLength(49);
    const head = all[0]!;
    expect(head.slice(0, 3)).toEqual(['device', 'date', 'line']);
    expect(head).toContain('metric2_delta7');
    expect(head).toContain('failure');
  });

  it('refuses a file without a date column, naming it', async () => {
    const { msgs, data } = await run(
      'device,attribute1,attribute2,attribute3,attribute4,attribute5,attribute6,attribute7,attribute9\nA,1,2,3,4,5,6,7,9\n',
    );
    expect(data).toBeNull();
    const refused = msgs.find((m) => m.type === 'fleet-refused') as Extract<FromWorker, { type: 'fleet-refused' }>;
    expect(refused.missing).toEqual(['date']);
    expect(refused.message).toMatch(/needs a column "date"/);
  });
});
