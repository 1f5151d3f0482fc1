import { existsSync, openAsBlob } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  checkRow,
  createResultWriter,
  formatProbability,
  resolveColumns,
  RowChecker,
  streamCsv,
  type CsvBatch,
  type StreamOptions,
  type StreamResult,
  isBlankRow,
} from '@/domain/csv-import';
import { getDomain } from '@/domain/domains';
import { fieldSchema, type FieldSpec } from '@/domain/fields';

const heart = getDomain('heart');
const device = getDomain('device');
const { fields: heartFields, presets: heartPresets } = heart;
const deviceFields = device.fields;
const heartNames = heartFields.map((f) => f.name);
const seed = heartPresets[1]!.values;
const seedRow = heartNames.map((n) => String(seed[n]));

interface Collected {
  result: StreamResult;
  batches: CsvBatch[];
  values: Record<string, number>[];
  labels: number[];
  lines: number[];
  cells: string[][];
  rejected: CsvBatch['rejected'];
}

/** Run streamCsv and flatten its batches, with feature vectors turned back into records. */
async function collect(input: Blob | string, domain = heart, opts: Partial<StreamOptions> = {}): Promise<Collected> {
  const order = opts.featureOrder ?? domain.fields.map((f) => f.name);
  const c: Omit<Collected, 'result'> = { batches: [], values: [], labels: [], lines: [], cells: [], rejected: [] };
  const result = await streamCsv(input, domain, {
    ...opts,
    onBatch: async (b) => {
      c.batches.push(b);
      for (let i = 0; i < b.rows; i++) {
        c.values.push(Object.fromEntries(order.map((n, j) => [n, b.features[i * b.nFeatures + j]!])));
        c.labels.push(b.labels[i]!);
        c.lines.push(b.lines[i]!);
      }
      c.cells.push(...b.cells);
      c.rejected.push(...b.rejected);
      await opts.onBatch?.(b);
    },
  });
  return { result, ...c };
}

const f32 = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.fround(v)]));
const csv = (rows: string[][], nl = '\n') => rows.map((r) => r.join(',')).join(nl) + nl;

describe('resolveColumns', () => {
  it('matches shuffled columns to the feature order', () => {
    const header = [...heartNames].reverse();
    const r = resolveColumns(header, heart);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.features.map((f) => [f.field.name, f.index])).toEqual(heartNames.map((n) => [n, header.indexOf(n)]));
  });

  it('matches names case-insensitively and ignores surrounding spaces', () => {
    const r = resolveColumns(heartNames.map((n) => `  ${n.toUpperCase()} `), heart);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.features[0]!.name).toBe('  AGE ');
  });

  it('strips a UTF-8 BOM from the first header cell', () => {
    const r = resolveColumns(['\ufeffage', ...heartNames.slice(1)], heart);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.header[0]).toBe('age');
  });

  it('accepts attributeN for metricN and ignores metric8 / attribute8', () => {
    const header = ['date', 'device', 'failure', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `Attribute${n}`)];
    const r = resolveColumns(header, device);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.columns.features.map((f) => f.name)).toEqual(['Attribute1', 'Attribute2', 'Attribute3', 'Attribute4', 'Attribute5', 'Attribute6', 'Attribute7', 'Attribute9']);
    expect(r.columns.ignored.map((c) => c.name)).toEqual(['Attribute8']);
    expect(r.columns.label).toEqual({ index: 2, name: 'failure' });
    expect(r.columns.passThrough.map((c) => c.name)).toEqual(['date', 'device']);
  });

  it('refuses a file with missing columns, naming them (and their aliases)', () => {
    const r = resolveColumns(['metric1', 'metric2', 'metric4', 'metric5', 'metric6', 'metric7', 'metric9'], device);
    expect(r).toMatchObject({ ok: false, missing: ['metric3'] });
    if (!r.ok) expect(r.message).toBe('The file is missing a required column: metric3 (or attribute3).');
  });

  it('refuses two columns giving the same field', () => {
    const header = [...deviceFields.map((f) => f.name), 'ATTRIBUTE4'];
    const r = resolveColumns(header, device);
    expect(r).toMatchObject({ ok: false, missing: [], duplicates: [{ field: 'metric4', columns: ['metric4', 'ATTRIBUTE4'] }] });
    if (!r.ok) expect(r.message).toContain('"metric4" and "ATTRIBUTE4" both give metric4');
  });

  it('passes through domain fields the model does not read', () => {
    const order = heartNames.filter((n) => n !== 'time');
    const r = resolveColumns(heartNames, heart, order);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.columns.passThrough.map((c) => c.name)).toEqual(['time']);
    expect(resolveColumns(order, heart, order).ok).toBe(true);
  });
});

describe('row checks', () => {
  const res = resolveColumns([...heartNames, 'DEATH_EVENT', 'id'], heart);
  if (!res.ok) throw new Error(res.message);
  const cols = res.columns;

  it('returns values, label and pass-through cells for a good row', () => {
    expect(checkRow([...seedRow, '1', 'p-7'], 2, cols)).toEqual({ ok: true, line: 2, values: seed, label: 1, passThrough: ['p-7'] });
  });

  it('lists each bad cell with line, column, value and the schema message', () => {
    const cells = [...seedRow, '0', 'p-8'];
    cells[heartNames.indexOf('age')] = 'abc';
    cells[heartNames.indexOf('ejection_fraction')] = '101';
    const r = checkRow(cells, 9, cols);
    expect(r).toEqual({
      ok: false,
      line: 9,
      errors: [
        { line: 9, column: 'age', value: 'abc', message: 'Age must be a number' },
        { line: 9, column: 'ejection_fraction', value: '101', message: 'Ejection fraction must be at most 100 %' },
      ],
    });
  });

  it('rejects a bad label, naming the label column and "expected 0 or 1"', () => {
    const r = checkRow([...seedRow, 'yes', 'p-9'], 4, cols);
    expect(r).toEqual({
      ok: false,
      line: 4,
      errors: [{ line: 4, column: 'DEATH_EVENT', value: 'yes', message: 'Label column DEATH_EVENT: expected 0 or 1, got "yes"' }],
    });
  });

  it('rejects a row with the wrong number of cells, naming the line', () => {
    const r = checkRow(seedRow, 5, cols);
    expect(r).toEqual({ ok: false, line: 5, errors: [{ line: 5, column: '', value: '', message: 'Line 5 has 12 cells; the header has 14 columns' }] });
  });

  // The hot path repeats the zod rules; zod must agree on every verdict and value.
  it('agrees with the zod field schema on any cell (property)', () => {
    const specs: FieldSpec[] = [...heartFields, deviceFields[0]!];
    const cell = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.integer({ min: -5, max: 300000 }).map(String),
      fc.constantFrom('', ' ', '1e3', '0x10', '-0', '+1', '.5', '5.', '1.0', 'Infinity', 'NaN', ' 7 ', '2147483648', '1e400'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...specs), cell, (spec, raw) => {
        const r = resolveColumns([spec.name], { ...heart, fields: [spec] }, [spec.name]);
        if (!r.ok) throw new Error(r.message);
        const ck = new RowChecker(r.columns);
        const errors = ck.check([raw], 2);
        const z = fieldSchema(spec).safeParse(raw);
        expect(errors === null).toBe(z.success);
        if (z.success) expect(Object.is(ck.values[0], z.data)).toBe(true);
        else expect(errors![0]!.message).toBe(z.error.issues.map((i) => i.message).join('; '));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('streamCsv', () => {
  const header = [...heartNames, 'DEATH_EVENT'];
  const good = [...seedRow, '0'];

  it('handles a UTF-8 BOM (string and bytes)', async () => {
    const text = '\ufeff' + csv([header, good]);
    for (const input of [text, new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), csv([header, good])])]) {
      const c = await collect(input);
      expect(c.result.status).toBe('done');
      if (c.result.status === 'done') expect(c.result.columns.header[0]).toBe('age');
      expect(c.values).toEqual([f32(seed)]);
    }
  });

  it('handles CRLF line ends without leaving \\r in cells', async () => {
    const c = await collect(csv([[...header, 'note'], [...good, 'x'], [...good, 'y']], '\r\n'));
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
    expect(c.values).toEqual([f32({ metric1: 215630672, metric2: 56, metric3: 0, metric4: 52, metric5: 6, metric6: 407438, metric7: 0, metric9: 7 })]);
  });

  it('passes extra id and date columns through, in file order with original names', async () => {
    const c = await collect(csv([['ID', ...header.slice(0, 6), 'Visit Date', ...header.slice(6)], ['p1', ...good.slice(0, 6), '2024-05-01', ...good.slice(6)]]));
    expect(c.result.status).toBe('done');
    if (c.result.status === 'done') expect(c.result.columns.passThrough).toEqual([{ index: 0, name: 'ID' }, { index: 7, name: 'Visit Date' }]);
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
    const text = csv([['note', ...header], ['"two\nlines"', ...good], ['"three\nmore\nlines"', ...good], ['x', ...bad]]);
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
    expect(c.rejected[0]!.errors).toEqual([{ line: 3, column: 'DEATH_EVENT', value: '2', message: 'Label column DEATH_EVENT: expected 0 or 1, got "2"' }]);
    const unlabelled = await collect(csv([heartNames, seedRow]));
    expect(unlabelled.labels).toEqual([-1]);
  });

  it('rejects a row with an unclosed quote at the end of the file', async () => {
    const c = await collect(csv([['note', ...header], ['ok', ...good]]) + `"open,${good.join(',')}\n`);
    expect(c.result).toMatchObject({ status: 'done', rowsValid: 1, rowsRejected: 1 });
    expect(c.rejected[0]!.errors[0]!.message).toBe('Line 3: a quoted field is never closed');
  });

  it('stops with a message when a quote never closes in a long file', async () => {
    const body = Array.from({ length: 3000 }, () => ['x', ...good].join(',')).join('\n');
    const c = await collect(`note,${header.join(',')}\n"open,${good.join(',')}\n${body}\n`, heart, { maxRowChars: 2000, pieceChars: 1024 });
    expect(c.result).toMatchObject({ status: 'failed', message: expect.stringMatching(/^Line 2: a row runs on for more than 2,000 characters/) });
  });

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

  it('keeps a UTF-8 character split across reads whole', async () => {
    const bytes = new TextEncoder().encode(csv([['name', ...header], ['Zoë Ångström', ...good]]));
    const at = bytes.indexOf(0xc3) + 1; // inside the two-byte ë
    const c = await collect(new Blob([bytes.slice(0, at), bytes.slice(at)]));
    expect(c.cells[0]![0]).toBe('Zoë Ångström');
  });

  it('reads a semicolon-separated file (delimiter detected by PapaParse)', async () => {
    const c = await collect(csv([header, good]).replaceAll(',', ';'));
    expect(c.values).toEqual([f32(seed)]);
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

  it('rethrows an error thrown by onBatch (the caller\'s failure, not the file\'s)', async () => {
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

  const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('../../../shared/data', import.meta.url));
  const deviceFile = `${dataDir}/device_failure.csv`;
  it.skipIf(!existsSync(deviceFile))('streams the full device file: 124,494 rows, 106 failures', async () => {
    const blob = await openAsBlob(deviceFile);
    let positives = 0;
    const t0 = performance.now();
    const r = await streamCsv(blob, device, {
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

describe('result writer', () => {
  const model = { id: 'heart-rf', version: '1.0.0', threshold: 0.5, class_labels: ['survived', 'died'] as [string, string] };

  it('writes input columns as read plus probability, class, model, model_version', () => {
    const w = createResultWriter(['ID', 'age'], model);
    const text = w.header() + w.rows([['a, "b"', '70'], ['c', '80']], new Float32Array([0.5, 0.03])) + w.rows([['d', 'x']], [Number.NaN]);
    expect(text).toBe(
      'ID,age,probability,class,model,model_version\r\n' +
        '"a, ""b""",70,0.5,died,heart-rf,1.0.0\r\n' +
        'c,80,0.03,survived,heart-rf,1.0.0\r\n' +
        'd,x,,,heart-rf,1.0.0\r\n',
    );
    expect(Papa.parse(text, { header: true, skipEmptyLines: true }).data[0]).toEqual({
      ID: 'a, "b"', age: '70', probability: '0.5', class: 'died', model: 'heart-rf', model_version: '1.0.0',
    });
  });

  it('writes exactly what Papa.unparse writes, for any cells (property)', () => {
    const w = createResultWriter(['a', 'b', 'c'], model);
    const cell = fc.oneof(fc.string(), fc.constantFrom('', ' x', 'x ', 'a,b', 'say "hi"', 'two\nlines', '\r', '\ufeffx', '=1+2'));
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 5 }), (rows) => {
        const p = rows.map((_, i) => (i % 3 === 2 ? Number.NaN : Math.fround(i / 7)));
        const expected = rows.map((r, i) => {
          const scored = !Number.isNaN(p[i]!);
          const extra = scored ? [formatProbability(p[i]!), p[i]! >= 0.5 ? 'died' : 'survived'] : ['', ''];
          return Papa.unparse([[...r, ...extra, 'heart-rf', '1.0.0']], { newline: '\r\n' }) + '\r\n';
        });
        expect(w.rows(rows, p)).toBe(expected.join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('adds a suffix instead of duplicating a column the input already has', () => {
    expect(createResultWriter(['Probability', 'class', 'class_2'], model).columns).toEqual(['Probability', 'class', 'class_2', 'probability_2', 'class_3', 'model', 'model_version']);
  });

  it('formats float32 probabilities as the shortest decimal that reads back the same', () => {
    for (const p of [0, 1, 0.03, 0.1, 0.123456789, 1e-7, 0.999999]) {
      const f = Math.fround(p);
      const s = formatProbability(f);
      expect(Math.fround(Number(s))).toBe(f);
      expect(s.length).toBeLessThanOrEqual(String(p).length + 1);
    }
    expect(formatProbability(Math.fround(0.03))).toBe('0.03');
    expect(formatProbability(0.1 + 0.2)).toBe('0.30000000000000004');
  });
});

describe('isBlankRow', () => {
  it('is true only when every cell is empty or whitespace, whatever the first cell starts with', () => {
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow(['', ' ', '\t'])).toBe(true);
    expect(isBlankRow(['\u00a0', '  '])).toBe(true);
    expect(isBlankRow(['a'])).toBe(false);
    expect(isBlankRow(['', 'x'])).toBe(false);
    expect(isBlankRow([' ', '', '0'])).toBe(false);
    expect(isBlankRow(['\u00e9t\u00e9'])).toBe(false);
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }), (cells) => isBlankRow(cells) === cells.every((c) => c.trim() === '')));
  });
});
