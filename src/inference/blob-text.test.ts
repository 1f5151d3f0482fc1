import { existsSync, openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { streamCsv } from '@/domain/csv/stream';
import { blobText } from '@/inference/blob-text';
import { collect, csv, device, f32, good, header, seed } from '@/test/csv';

describe('blobText (streamCsv reading a Blob)', () => {
  it('drops a UTF-8 BOM in the bytes', async () => {
    const c = await collect(blobText(new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), csv([header, good])])));
    expect(c.result.status).toBe('done');
    if (c.result.status === 'done') expect(c.result.columns.header[0]).toBe('age');
    expect(c.values).toEqual([f32(seed)]);
  });

  it('keeps a UTF-8 character split across reads whole', async () => {
    const bytes = new TextEncoder().encode(csv([['name', ...header], ['Zoë Ångström', ...good]]));
    const at = bytes.indexOf(0xc3) + 1; // inside the two-byte ë
    const c = await collect(blobText(new Blob([bytes.slice(0, at), bytes.slice(at)])));
    expect(c.cells[0]![0]).toBe('Zoë Ångström');
  });

  it('reports bytes read against the Blob size (bytes, not characters)', async () => {
    const blob = new Blob([csv([['name', ...header], ...Array.from({ length: 50 }, () => ['Zoë', ...good])])]);
    const c = await collect(blobText(blob), undefined, { chunkRows: 10 });
    expect(c.result).toMatchObject({ status: 'done', rowsRead: 50, bytesRead: blob.size, totalBytes: blob.size });
    expect(blob.size).toBeGreaterThan((await blob.text()).length);
    expect(c.batches.every((b) => b.progress.totalBytes === blob.size)).toBe(true);
  });

  const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
  const deviceFile = `${dataDir}/device_failure.csv`;
  it.skipIf(!existsSync(deviceFile))('streams the full device file: 124,494 rows, 106 failures', async () => {
    const blob = await openAsBlob(deviceFile);
    let positives = 0;
    const t0 = performance.now();
    const r = await streamCsv(blobText(blob), device, {
      chunkRows: 16384,
      onBatch: (b) => {
        for (const y of b.labels) positives += y;
      },
    });
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ status: 'done', rowsRead: 124494, rowsValid: 124494, rowsRejected: 0 });
    expect(positives).toBe(106);
    console.info(`device_failure.csv: ${Math.round(ms)} ms, ${Math.round(124494 / (ms / 1000)).toLocaleString('en-US')} rows/s`);
  });
});
