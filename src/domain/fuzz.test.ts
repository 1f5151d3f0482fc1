import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { streamCsv } from './csv/stream';
import { domainList } from './domains';
import { type FieldSpec } from './field-spec';
import { validate } from './fields';
import { parseSeedRequest, seedSampleRequest } from './seed-api';

// Issue 12: at least 10,000 generated inputs per domain through the field schemas, the seed
// JSON parser and the CSV importer; none may throw, and no value outside a field's limits (or
// not a finite number) may come out as accepted. The counts are printed.

const RUNS = 10_000;
const counts: string[] = [];
afterAll(() => console.log(`generated inputs: ${counts.join('; ')}`));

/** Anything a person or a program might put in a field. */
const anyValue = fc.oneof(
  fc.double(),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1, 1e308, -1e-308),
  fc.double().map(String),
  fc.string(),
  fc.constantFrom('', ' ', '1,5', '1.234,5', '0x10', '1e3', '=1+1', '-', 'NaN', '٣', '\u00a012'),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
);

const cellText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '"', '""', '"a,b"', '1,5', '=cmd', '\ufeff', 'NaN', '1e999', '-0'),
);

function inLimits(specs: readonly FieldSpec[], values: Record<string, number | undefined>) {
  for (const f of specs) {
    const v = values[f.name];
    if (v === undefined) continue;
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(f.min);
    expect(v).toBeLessThanOrEqual(f.max);
  }
}

for (const domain of domainList) {
  describe(`${domain.id}: generated inputs`, () => {
    it(`field schemas: ${RUNS.toLocaleString('en-US')} records`, () => {
      let n = 0;
      const record = fc.record(Object.fromEntries(domain.fields.map((f) => [f.name, anyValue])), { requiredKeys: [] });
      fc.assert(
        fc.property(record, fc.boolean(), (r, strict) => {
          n++;
          const out = validate(domain.fields, r, { strict });
          if (out.ok) inLimits(domain.fields, out.values);
          else for (const e of out.errors) expect(e.message.length).toBeGreaterThan(0);
        }),
        { numRuns: RUNS },
      );
      counts.push(`${domain.id} field schemas ${n}`);
      expect(n).toBeGreaterThanOrEqual(RUNS);
    });

    it.skipIf(!domain.seed)(`seed JSON parser: ${RUNS.toLocaleString('en-US')} bodies`, () => {
      let n = 0;
      const sample = JSON.parse(seedSampleRequest(domain.seed!)) as Record<string, unknown>;
      const body = fc.oneof(
        // The sample with fields changed, dropped, added or given twice.
        fc
          .tuple(
            fc.dictionary(fc.constantFrom(...domain.fields.map((f) => f.name), 'extra'), fc.jsonValue()),
            fc.boolean(),
            fc.constantFrom(...domain.fields.map((f) => f.name)),
          )
          .map(([changes, dup, key]) => {
            const wrapper = domain.seed!.requestWrapper;
            const inner = { ...((wrapper ? sample[wrapper] : sample) as object), ...changes };
            let text = JSON.stringify(wrapper ? { [wrapper]: inner } : inner);
            if (dup) text = text.replace(`"${key}":`, `"${key}":1,"${key}":`);
            return { text, dup };
          }),
        fc.jsonValue().map((v) => ({ text: JSON.stringify(v), dup: false })),
        fc.string().map((text) => ({ text, dup: false })),
      );
      fc.assert(
        fc.property(body, ({ text, dup }) => {
          n++;
          const r = parseSeedRequest(domain, text);
          if (r.ok) {
            inLimits(domain.fields, r.values);
            expect(dup).toBe(false); // a key given twice never passes
          } else for (const e of r.errors) expect(e.length).toBeLessThan(500);
        }),
        { numRuns: RUNS },
      );
      counts.push(`${domain.id} seed JSON ${n}`);
      expect(n).toBeGreaterThanOrEqual(RUNS);
    });

    it(`CSV importer: ${RUNS.toLocaleString('en-US')} files`, async () => {
      let n = 0;
      const names = domain.fields.map((f) => f.name);
      const file = fc
        .tuple(
          fc.shuffledSubarray([...names, 'note'], { minLength: names.length - 1 }),
          fc.array(fc.array(cellText, { minLength: names.length - 1, maxLength: names.length + 2 }), { maxLength: 4 }),
          fc.constantFrom(',', ';', '\t'),
          fc.constantFrom('\n', '\r\n'),
        )
        .map(([header, rows, d, nl]) => [header, ...rows].map((r) => r.join(d)).join(nl) + nl);
      await fc.assert(
        fc.asyncProperty(file, async (text) => {
          n++;
          const r = await streamCsv(text, domain, {
            onBatch: (b) => {
              for (let i = 0; i < b.rows; i++) {
                inLimits(domain.fields, Object.fromEntries(names.map((name, j) => [name, b.features[i * b.nFeatures + j]])));
              }
            },
          });
          expect(['done', 'refused', 'failed']).toContain(r.status);
          if (r.status === 'done') expect(r.rowsRead).toBe(r.rowsValid + r.rowsRejected);
        }),
        { numRuns: RUNS },
      );
      counts.push(`${domain.id} CSV importer ${n}`);
      expect(n).toBeGreaterThanOrEqual(RUNS);
    });
  });
}
