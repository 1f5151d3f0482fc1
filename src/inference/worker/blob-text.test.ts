import { existsSync, openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamCsv } from '@/domain/csv/stream';
import { blobText, firstBadUtf8, SNIFF_BYTES } from '@/inference/worker/blob-text';
import { collect, csv, device, f32, good, header, seed } from '@/test/csv';

describe('blobText (streamCsv reading a Blob)', () => {
  it('drops a UTF-8 BOM in the bytes', async () => {
    const c = await collect(blobText(new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), csv([header, good])])));
    expect(c.result.status).toBe('done');
    if (c.result.status === 'done') expect(c.result.columns.header[0]).toBe('age');
    expect(c.values).toEqual([f32(seed)]);
  });

  it('keeps a UTF-8 character split across reads whole', async () => {
    const bytes = new TextEncoder().encode(
      csv([
        ['name', ...header],
        ['Zoë Ångström', ...good],
      ]),
    );
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

  const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
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

describe('blobText: encodings', () => {
  const rows = (name: string) =>
    csv([
      ['name', ...header],
      [name, ...good],
      ['Zoë', ...good],
    ]);

  it('reads a Windows-1252 file as Windows-1252 and says so in the reading', async () => {
    const text = rows('Müller');
    const bytes = Uint8Array.from(text, (ch) => (ch === 'ü' ? 0xfc : ch === 'ë' ? 0xeb : ch.charCodeAt(0)));
    let encoding: string | undefined;
    const c = await collect(blobText(new Blob([bytes])), undefined, { onHeader: (_c, r) => void (encoding = r.encoding) });
    expect(c.result.status).toBe('done');
    expect(c.cells.map((r) => r[0])).toEqual(['Müller', 'Zoë']);
    expect(encoding).toBe('Windows-1252');
  });

  it('reads a UTF-8 file whose sniffed first megabyte ends inside a character as UTF-8', async () => {
    const name = 'ë'.repeat(500); // two bytes each: every other byte boundary is inside a character
    const lines = [['name', ...header].join(',')];
    while (lines.join('\n').length < SNIFF_BYTES) lines.push([name, ...good].join(','));
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    // Split where the sniff stops, inside an ë (its first byte is 0xC3).
    const at = bytes.indexOf(0xc3, SNIFF_BYTES - 1) + 1;
    expect(at).toBeGreaterThan(SNIFF_BYTES - 1);
    let encoding: string | undefined = 'not reported';
    const c = await collect(blobText(new Blob([bytes.slice(0, at), bytes.slice(at)])), undefined, {
      onHeader: (_c, r) => void (encoding = r.encoding),
    });
    expect(c.result.status).toBe('done');
    expect(encoding).toBeUndefined();
    expect(new Set(c.cells.map((r) => r[0]))).toEqual(new Set([name]));
  });

  it('reads UTF-16 files with a byte-order mark, both byte orders', async () => {
    const text = rows('Müller');
    for (const le of [true, false]) {
      const bytes = new Uint8Array(2 + text.length * 2);
      bytes.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
      for (let i = 0; i < text.length; i++) {
        const u = text.charCodeAt(i);
        bytes[2 + 2 * i] = le ? u & 0xff : u >> 8;
        bytes[3 + 2 * i] = le ? u >> 8 : u & 0xff;
      }
      const c = await collect(blobText(new Blob([bytes])));
      expect(c.result.status).toBe('done');
      expect(c.cells.map((r) => r[0])).toEqual(['Müller', 'Zoë']);
      expect(c.values).toEqual([f32(seed), f32(seed)]);
    }
  });

  it('stops at a byte that is not UTF-8 past the sniffed start, naming its line; the rows before it are read', async () => {
    const before = new TextEncoder().encode(csv([['name', ...header], ...Array.from({ length: 30_000 }, () => ['Zoë Ångström', ...good])]));
    expect(before.length).toBeGreaterThan(SNIFF_BYTES);
    const after = Uint8Array.from(csv([['M\u00fcller', ...good]]), (ch) => (ch === 'ü' ? 0xfc : ch.charCodeAt(0)));
    const c = await collect(blobText(new Blob([before, after])));
    expect(c.result).toMatchObject({
      status: 'failed',
      rowsValid: 30_000,
      message: expect.stringMatching(/^Line 30002: byte 0xFC is not UTF-8 text/),
    });
  });

  it('firstBadUtf8 agrees with a fatal TextDecoder (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
        } catch {
          valid = false;
        }
        expect(firstBadUtf8(b) === -1).toBe(valid);
      }),
      { numRuns: 5000 },
    );
  });
});
