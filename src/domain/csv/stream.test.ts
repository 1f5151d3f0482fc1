import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { streamCsv } from '@/domain/csv/stream';
import { getDomain } from '@/domain/domains';
import type { FieldSpec } from '@/domain/field-spec';
import { collect, csv, device, f32, good, header, heart, heartNames, seed, seedRow } from '@/test/csv';

const heartFields = getDomain('heart').fields;

describe('streamCsv', () => {
  it('handles a UTF-8 BOM', async () => {
    const c = await collect('\ufeff' + csv([header, good]));
    expect(c.result.status).toBe('done');
    if (c.result.status === 'done') expect(c.result.columns.header[0]).toBe('age');
    expect(c.values).toEqual([f32(seed)]);
  });

  it('handles CRLF line ends without leaving \\r in cells', async () => {
    const c = await collect(
      csv(
        [
          [...header, 'note'],
          [...good, 'x'],
          [...good, 'y'],
        ],
        '\r\n',
      ),
    );
    expect(c.result).toMatchObject({ status: 'done', rowsRead: 2, rowsValid: 2 });
    expect(c.cells.map((r) => r.at(-1))).toEqual(['x', 'y']);
    expect(c.lines).toEqual([2, 3]);
  });

  it('reads shuffled columns into the model feature order', async () => {
    const perm = [5, 0, 11, 3, 9, 1, 7, 12, 2, 10, 4, 8, 6];
    const c = await collect(csv([perm.map((i) => header[i]!), perm.map((i) => good[i]!)]));
    expect(c.values).toEqual([f32(seed)]);
    expect(c.labels).toEqual([0]);
  });

  it('reads a custom feature order (the manifest order, not the file order)', async () => {
    const order = ['time', 'age', 'sex'];
    const c = await collect(csv([header, good]), heart, { featureOrder: order });
    expect(c.batches[0]!.nFeatures).toBe(3);
    expect(Array.from(c.batches[0]!.features)).toEqual([seed.time, seed.age, seed.sex]);
  });

  it('matches column names case-insensitively', async () => {
    const c = await collect(csv([header.map((h) => h.toUpperCase()), good]));
    expect(c.result).toMatchObject({ status: 'done', rowsValid: 1 });
    expect(c.labels).toEqual([0]);
  });

  it('accepts attribute1..9 and ignores attribute8 in device files', async () => {
    const text = csv([
      ['date', 'device', 'failure', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `attribute${n}`)],
      ['2015-01-01', 'S1F01085', '0', '215630672', '56', '0', '52', '6', '407438', '0', 'not-a-number', '7'],
    ]);
    const c = await collect(text, device);
    expect(c.result).toMatchObject({ status: 'done', rowsValid: 1, rowsRejected: 0 });
    expect(c.values).toEqual([
      f32({ metric1: 215630672, metric2: 56, metric3: 0, metric4: 52, metric5: 6, metric6: 407438, metric7: 0, metric9: 7 }),
    ]);
  });

  it('passes extra id and date columns through, in file order with original names', async () => {
    const c = await collect(
      csv([
        ['ID', ...header.slice(0, 6), 'Visit Date', ...header.slice(6)],
        ['p1', ...good.slice(0, 6), '2024-05-01', ...good.slice(6)],
      ]),
    );
    expect(c.result.status).toBe('done');
    if (c.result.status === 'done')
      expect(c.result.columns.passThrough).toEqual([
        { index: 0, name: 'ID' },
        { index: 7, name: 'Visit Date' },
      ]);
    expect(c.cells[0]![0]).toBe('p1');
    expect(c.cells[0]![7]).toBe('2024-05-01');
  });

  it('reads quoted fields, including a comma and escaped quotes inside quotes', async () => {
    const row = [`"Smith, John ""JJ"""`, ...good.map((v) => `"${v}"`)];
    const c = await collect(csv([['name', ...header], row]));
    expect(c.result).toMatchObject({ status: 'done', rowsValid: 1 });
    expect(c.cells[0]![0]).toBe('Smith, John "JJ"');
    expect(c.values).toEqual([f32(seed)]);
  });

  it('counts physical lines when a quoted field holds line breaks', async () => {
    const bad = [...good];
    bad[0] = 'old';
    const text = csv([
      ['note', ...header],
      ['"two\nlines"', ...good],
      ['"three\nmore\nlines"', ...good],
      ['x', ...bad],
    ]);
    const c = await collect(text);
    expect(c.lines).toEqual([2, 4]);
    expect(c.rejected.map((r) => r.line)).toEqual([7]);
    expect(c.cells[1]![0]).toBe('three\nmore\nlines');
  });

  it('skips a trailing empty line (and blank lines inside) without counting them', async () => {
    const text = csv([header, good]) + '\n' + csv([good]) + '\n\n  \n';
    const c = await collect(text);
    expect(c.result).toMatchObject({ status: 'done', rowsRead: 2, rowsValid: 2, rowsRejected: 0 });
    expect(c.lines).toEqual([2, 4]);
  });

  it('refuses a file with a missing required column, naming it', async () => {
    const c = await collect(csv([header.filter((h) => h !== 'serum_sodium'), good.filter((_, i) => i !== 8)]));
    expect(c.result).toMatchObject({ status: 'refused', missing: ['serum_sodium'], message: 'The file is missing a required column: serum_sodium.' });
    expect(c.batches).toEqual([]);
  });

  it('refuses an empty file', async () => {
    expect((await collect('\n\n')).result).toMatchObject({ status: 'refused', message: 'The file is empty: no header row was found' });
  });

  it('lists bad cells with line, column and reason while the good rows still come through', async () => {
    const bad1 = [...good];
    bad1[heartNames.indexOf('serum_sodium')] = '';
    const bad2 = [...good];
    bad2[heartNames.indexOf('sex')] = '2';
    const c = await collect(csv([header, good, bad1, good, bad2, good.slice(1)]));
    expect(c.result).toMatchObject({ status: 'done', rowsRead: 5, rowsValid: 2, rowsRejected: 3 });
    expect(c.lines).toEqual([2, 4]);
    expect(c.rejected.map((r) => r.errors)).toEqual([
      [{ line: 3, column: 'serum_sodium', value: '', message: 'Serum sodium is required' }],
      [{ line: 5, column: 'sex', value: '2', message: 'Sex must be 0 (woman) or 1 (man)' }],
      [{ line: 6, column: '', value: '', message: 'Line 6 has 12 cells; the header has 13 columns' }],
    ]);
  });

  it('detects the label column and rejects bad labels', async () => {
    const c = await collect(csv([header, [...seedRow, '1'], [...seedRow, '2'], [...seedRow, ' 0 ']]));
    expect(c.labels).toEqual([1, 0]);
    expect(c.rejected[0]!.errors).toEqual([
      { line: 3, column: 'DEATH_EVENT', value: '2', message: 'Label column DEATH_EVENT: expected 0 or 1, got "2"' },
    ]);
    const unlabelled = await collect(csv([heartNames, seedRow]));
    expect(unlabelled.labels).toEqual([-1]);
  });

  it('rejects a row with an unclosed quote at the end of the file', async () => {
    const c = await collect(
      csv([
        ['note', ...header],
        ['ok', ...good],
      ]) + `"open,${good.join(',')}\n`,
    );
    expect(c.result).toMatchObject({ status: 'done', rowsValid: 1, rowsRejected: 1 });
    expect(c.rejected[0]!.errors[0]!.message).toBe('Line 3: a quoted field is never closed');
  });

  it('stops with a message when a quote never closes in a long file', async () => {
    const body = Array.from({ length: 3000 }, () => ['x', ...good].join(',')).join('\n');
    const c = await collect(`note,${header.join(',')}\n"open,${good.join(',')}\n${body}\n`, heart, { maxRowChars: 2000, pieceChars: 1024 });
    expect(c.result).toMatchObject({ status: 'failed', message: expect.stringMatching(/^Line 2: a row runs on for more than 2,000 characters/) });
  });

  it('says what it measured for a quote that stays open: characters and lines', async () => {
    const body = Array.from({ length: 3000 }, () => ['x', ...good].join(',')).join('\n');
    const c = await collect(`note,${header.join(',')}\n"open,${good.join(',')}\n${body}\n`, heart, { maxRowChars: 2000, pieceChars: 1024 });
    expect(c.result).toMatchObject({
      message: expect.stringMatching(
        /^Line 2: a row runs on for more than 2,000 characters, across \d+ lines, inside a quoted field \("\) that is still open$/,
      ),
    });
  });

  for (const nl of ['\n', '\r\n']) {
    it(`measures a long line with no quote, lists it, and reads the rows after it (${JSON.stringify(nl)})`, async () => {
      const long = 'y'.repeat(3 * 1024 * 1024);
      const text = csv(
        [
          ['note', ...header],
          ['a', ...good],
          [long, ...good],
          ['b', ...good],
          ['c', ...good],
        ],
        nl,
      );
      const c = await collect(text, heart, { pieceChars: 4095 });
      expect(c.result).toMatchObject({ status: 'done', rowsValid: 3, rowsRejected: 1 });
      expect(c.lines).toEqual([2, 4, 5]);
      const measured = long.length + 1 + good.join(',').length;
      expect(c.rejected[0]!.errors[0]!.message).toBe(
        `Line 3 is ${measured.toLocaleString('en-US')} characters long with no line break; the limit is 1,048,576, so it was skipped`,
      );
    });
  }

  it('keeps counts adding up, in every batch and at the end', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => (i % 7 === 3 ? [...seedRow.slice(0, 11), '-1', '0'] : [...seedRow, String(i % 2)]));
    const c = await collect(csv([header, ...rows]), heart, { chunkRows: 64, pieceChars: 1024 });
    for (const b of c.batches) {
      expect(b.progress.rowsRead).toBe(b.progress.rowsValid + b.progress.rowsRejected);
      expect(b.rows + b.rejected.length).toBeLessThanOrEqual(64);
      expect(b.features.length).toBe(b.rows * b.nFeatures);
    }
    expect(c.result).toMatchObject({ status: 'done', rowsRead: 1000, rowsValid: 857, rowsRejected: 143 });
    expect(c.lines.length + c.rejected.length).toBe(1000);
    expect([...c.lines, ...c.rejected.map((r) => r.line)].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
  });

  it('reads a semicolon-separated file (delimiter detected by PapaParse), with decimal points when the setting says so', async () => {
    const c = await collect(csv([header, good]).replaceAll(',', ';'), heart, { numberFormat: 'point' });
    expect(c.values).toEqual([f32(seed)]);
    // Left to decide, a `;` file is read with decimal commas: 0.9 is then refused, never misread.
    const auto = await collect(csv([header, good]).replaceAll(',', ';'));
    expect(auto.values).toEqual([]);
    expect(auto.rejected[0]!.errors[0]!.message).toMatch(/decimal point, but the number format is set to decimal comma/);
  });

  it('waits for onBatch (backpressure) and stops when aborted', async () => {
    const rows = Array.from({ length: 100 }, () => [...seedRow, '0']);
    const ac = new AbortController();
    let inFlight = 0;
    let calls = 0;
    const c = await collect(csv([header, ...rows]), heart, {
      chunkRows: 10,
      signal: ac.signal,
      onBatch: async () => {
        expect(inFlight).toBe(0);
        inFlight++;
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        if (++calls === 3) ac.abort();
      },
    });
    expect(c.result).toMatchObject({ status: 'aborted', rowsRead: 30, rowsValid: 30 });
    expect(calls).toBe(3);
  });

  it("rethrows an error thrown by onBatch (the caller's failure, not the file's)", async () => {
    const boom = new Error('inference failed');
    await expect(streamCsv(csv([header, good]), heart, { onBatch: () => Promise.reject(boom) })).rejects.toBe(boom);
  });

  it('round-trips random valid rows in any column order, with CRLF, BOM and quoting (property)', async () => {
    const value = (f: FieldSpec) =>
      f.kind === 'yes-no' || f.kind === 'sex'
        ? fc.constantFrom(0, 1)
        : f.kind === 'integer'
          ? fc.integer({ min: f.min, max: f.max })
          : fc.double({ min: f.min, max: f.max, noNaN: true }).map((v) => Number(v.toPrecision(6)));
    const record = fc.record(Object.fromEntries(heartFields.map((f) => [f.name, value(f)])) as Record<string, fc.Arbitrary<number>>);
    // Free text with the characters that need quoting, line breaks and multi-byte ones.
    const note = fc.array(fc.constantFrom('a', ' ', ',', '"', '\n', '\r\n', 'é', '😀'), { maxLength: 8 }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(record, fc.constantFrom(0, 1), note), { minLength: 1, maxLength: 30 }),
        fc.shuffledSubarray([...header, 'comment'], { minLength: header.length + 1 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (rows, order, crlf, bom, caps) => {
          const head = order.map((h) => (caps ? h.toUpperCase() : h));
          const data = rows.map(([r, y, note]) => order.map((h) => (h === 'comment' ? note : h === 'DEATH_EVENT' ? y : r[h]!)));
          const text = (bom ? '\ufeff' : '') + Papa.unparse([head, ...data], { newline: crlf ? '\r\n' : '\n' });
          const c = await collect(text, heart, { chunkRows: 7, pieceChars: 1024 });
          expect(c.result).toMatchObject({ status: 'done', rowsRead: rows.length, rowsValid: rows.length });
          // A line break inside a quoted note moves the following rows down.
          const nl = crlf ? '\r\n' : '\n';
          const expectedLines = rows.map((_, i) => 2 + i + rows.slice(0, i).reduce((n, [, , t]) => n + t.split(nl).length - 1, 0));
          expect(c.lines).toEqual(expectedLines);
          expect(c.values).toEqual(rows.map(([r]) => f32(r)));
          expect(c.labels).toEqual(rows.map(([, y]) => y));
          expect(c.cells.map((cs) => cs[order.indexOf('comment')])).toEqual(rows.map(([, , note]) => note));
        },
      ),
      { numRuns: 150 },
    );
  });
});
