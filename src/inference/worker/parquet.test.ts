// Parquet in: a Parquet copy and a CSV copy of the same generated table (bench/parquet-copy.mjs,
// hyparquet-writer) read by the worker's batch and fleet paths with the real engine.
import { describe, expect, it } from 'vitest';
import { sampleBatchCsv, sampleFleetCsv, trainingRanges } from '@/domain/sample-data';
import type { FromWorker } from '@/inference/protocol';
import { device, engine, fleetModel, heart, heartModels } from '@/test/worker-models';
import { parquetCopy, type CopyType } from '../../../bench/parquet-copy.mjs';
import { runBatch } from './batch';
import { answerFleet } from './fleet-queries';
import { runFleet } from './fleet-run';

const heartModel = heartModels.find((m) => m.id === 'heart-lr')!;
const signal = () => new AbortController().signal;

const fleetText = sampleFleetCsv(device, fleetModel, { devices: 8, days: 40, failing: 2 });
const fleetTypes = (dates: CopyType): Record<string, CopyType> => ({ date: dates, device: 'STRING', failure: 'INT32' });

async function fleet(file: Blob) {
  const msgs: FromWorker[] = [];
  const data = await runFleet(engine, fleetModel, device, file, { id: 1, post: (m) => msgs.push(m), signal: signal() });
  return { msgs, data };
}

/** What a fleet run shows and exports: the summary, every scored row with its features, the ranking. */
async function fleetOutputs(file: Blob) {
  const { msgs, data } = await fleet(file);
  const done = msgs.find((m) => m.type === 'fleet-done');
  if (!data || done?.type !== 'fleet-done' || !done.summary) throw new Error(`not scored: ${JSON.stringify(msgs.at(-1))}`);
  const { timings: _t, ...summary } = done.summary;
  const rows = await (answerFleet(data, { kind: 'download-rows' }) as Blob).text();
  const ranking = await (answerFleet(data, { kind: 'download-ranking', day: null, k: 3 }) as Blob).text();
  return { summary, rows, ranking, p1: Array.from(data.fleet.c.p1) };
}

async function batch(file: Blob) {
  const msgs: FromWorker[] = [];
  await runBatch(engine, heartModel, file, { id: 2, chunkRows: 16, post: (m) => msgs.push(m), signal: signal() });
  return msgs;
}

const refusal = (msgs: FromWorker[]) => msgs.find((m) => m.type === 'fleet-refused' || m.type === 'batch-refused');
const parquetFile = (bytes: ArrayBuffer | Uint8Array<ArrayBuffer>, name = 'log.parquet') => new File([bytes], name);

describe('Parquet in', () => {
  it('a fleet log as Parquet gives the same features, probabilities and ranks as its CSV copy', async () => {
    const copy = parquetCopy(fleetText, { types: fleetTypes('DATE'), rowGroupSize: 100 });
    const fromCsv = await fleetOutputs(new File([copy.csv], 'log.csv'));
    const fromParquet = await fleetOutputs(parquetFile(copy.parquet));
    expect(fromCsv.summary.rowsKept).toBeGreaterThan(200);
    expect(fromParquet.summary).toEqual(fromCsv.summary);
    expect(fromParquet.p1).toEqual(fromCsv.p1);
    expect(fromParquet.rows).toBe(fromCsv.rows);
    expect(fromParquet.ranking).toBe(fromCsv.ranking);
  });

  it('reads DATE, TIMESTAMP and ISO-text dates alike', async () => {
    const runs = await Promise.all(
      (['DATE', 'TIMESTAMP', 'STRING'] as const).map((t) =>
        fleetOutputs(parquetFile(parquetCopy(fleetText, { types: fleetTypes(t), rowGroupSize: 64 }).parquet)),
      ),
    );
    expect(runs[0]!.rows).toContain('2015-01-01');
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('a patient batch as Parquet (booleans for yes/no, nulls where the CSV had bad cells) scores and rejects as its CSV copy', async () => {
    const text = sampleBatchCsv(heart, trainingRanges(heartModels));
    const types: Record<string, CopyType> = { anaemia: 'BOOLEAN', diabetes: 'BOOLEAN', sex: 'INT32', DEATH_EVENT: 'BOOLEAN' };
    const copy = parquetCopy(text, { types, rowGroupSize: 25 });
    const strip = (msgs: FromWorker[]) =>
      msgs.map((m) => {
        if (m.type === 'batch-chunk') return { lines: [...m.lines], p1: [...m.p1], rejected: m.rejected, cells: m.cellsJson };
        if (m.type === 'batch-done') return { status: m.status, rows: [m.progress.rowsScored, m.progress.rowsRejected] };
        if (m.type === 'batch-header') return { columns: m.columns, hasLabel: m.hasLabel };
        return m;
      });
    const fromCsv = strip(await batch(new File([copy.csv], 'b.csv')));
    const fromParquet = strip(await batch(parquetFile(copy.parquet, 'b.parquet')));
    expect(fromParquet).toEqual(fromCsv);
    const done = fromParquet.find((m) => 'status' in m && 'rows' in m) as { rows: number[] };
    expect(done.rows[0]).toBeGreaterThan(50);
    expect(done.rows[1]).toBeGreaterThan(0);
  });

  it('refuses a column of the wrong type, naming the column and the type found', async () => {
    const asText = await fleet(parquetFile(parquetCopy(fleetText, { types: { ...fleetTypes('DATE'), metric3: 'STRING' } }).parquet));
    expect(asText.data).toBeNull();
    expect(refusal(asText.msgs)).toMatchObject({ message: 'Column "metric3" is stored as BYTE_ARRAY (UTF8) (text); it should hold a number.' });
    const dateAsBool = await fleet(parquetFile(parquetCopy(fleetText, { types: fleetTypes('BOOLEAN') }).parquet));
    expect(refusal(dateAsBool.msgs)).toMatchObject({
      message: expect.stringMatching(/^Column "date" is stored as BOOLEAN \(a true\/false value\); it should hold a date or text\.$/),
    });
    const text = sampleBatchCsv(heart, trainingRanges(heartModels));
    const ageAsText = await batch(parquetFile(parquetCopy(text, { types: { age: 'STRING' } }).parquet));
    expect(refusal(ageAsText)).toMatchObject({ message: expect.stringContaining('Column "age" is stored as BYTE_ARRAY (UTF8)') });
  });

  it('gives one sentence for a damaged file, a cut one, or a CSV named .parquet', async () => {
    const { parquet } = parquetCopy(fleetText, { types: fleetTypes('DATE'), rowGroupSize: 100 });
    const bytes = new Uint8Array(parquet);
    const damaged = bytes.slice();
    damaged.fill(0x55, 4, Math.floor(bytes.length / 2)); // the first row groups' pages overwritten
    const files = [
      parquetFile(bytes.slice(0, Math.floor(bytes.length * 0.7))),
      parquetFile(new TextEncoder().encode(fleetText)),
      parquetFile(damaged),
      new File([bytes.slice(0, 100)], 'no-name-hint'), // starts as Parquet does
    ];
    for (const f of files) {
      const { msgs, data } = await fleet(f);
      expect(data).toBeNull();
      const done = msgs.find((m) => m.type === 'fleet-done');
      expect(done).toMatchObject({ status: 'failed' });
      const message = done?.type === 'fleet-done' ? (done.message ?? '') : '';
      // One sentence: it ends with its only full stop.
      expect(message).toMatch(/Parquet file.* (damaged or cut short)\.$/);
      expect(message.indexOf('.')).toBe(message.length - 1);
    }
  });
});
