// scripts/csp.mjs is the one place the Content-Security-Policy lives; the docs show it for each
// host between markers, written by `node scripts/csp.mjs --write`. A copy edited by hand, or a
// policy pasted outside the markers, fails here with the file's name.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyFiles,
  exampleRecordOrigins,
  headerPolicy,
  hostBlocks,
  markedCopies,
  metaPolicy,
  staleCopies,
  withConnectSources,
  writeCopies,
} from '../scripts/csp.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
/** The policy's first directives: a hand-written copy of any version of it starts so. */
const cspStart = "default-src 'none'; script-src";
const tmp = mkdtempSync(join(tmpdir(), 'prognos-csp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('CSP copies in the docs', () => {
  it('every marked copy equals what scripts/csp.mjs writes (else: node scripts/csp.mjs --write)', () => {
    expect(staleCopies(root), 'files whose policy copies differ from scripts/csp.mjs').toEqual([]);
  });

  it('every host block is shown somewhere, each holding the full header policy', () => {
    const shown = copyFiles(root).flatMap((f) => markedCopies(readFileSync(join(root, f), 'utf8')));
    expect(new Set(shown.map((c) => c.name))).toEqual(new Set(Object.keys(hostBlocks())));
    // The FHIR example is the same policy with the record's origins in connect-src, and nothing else changed.
    for (const c of shown)
      expect(c.content, c.name).toContain(c.name === 'fhir-header' ? withConnectSources(headerPolicy, exampleRecordOrigins) : headerPolicy);
  });

  it('widens connect-src only, and only with origins', () => {
    const wide = withConnectSources(headerPolicy, ['https://fhir.example.org', 'http://127.0.0.1:4319']);
    expect(wide.replace(' https://fhir.example.org http://127.0.0.1:4319', '')).toBe(headerPolicy);
    expect(wide).toContain("connect-src 'self' https://fhir.example.org http://127.0.0.1:4319;");
    expect(withConnectSources(headerPolicy, [])).toBe(headerPolicy);
    expect(() => withConnectSources(headerPolicy, ['https://fhir.example.org/fhir'])).toThrow(/not an origin/);
    expect(() => withConnectSources(headerPolicy, ["'unsafe-inline'"])).toThrow();
  });

  it('no policy is written outside the markers', () => {
    for (const f of copyFiles(root)) {
      const outside = readFileSync(join(root, f), 'utf8').replace(/<!-- csp:([a-z-]+):start -->[\s\S]*?<!-- csp:\1:end -->/g, '');
      expect(outside.includes(metaPolicy) || outside.includes(cspStart), `${f} has a policy outside csp markers`).toBe(false);
    }
  });

  it('names the file whose copy was edited, and --write restores it', () => {
    cpSync(join(root, 'docs'), join(tmp, 'docs'), { recursive: true });
    cpSync(join(root, 'README.md'), join(tmp, 'README.md'));
    const page = copyFiles(tmp).find((f) => markedCopies(readFileSync(join(tmp, f), 'utf8')).length > 0)!;
    const original = readFileSync(join(tmp, page), 'utf8');
    writeFileSync(join(tmp, page), original.replace("object-src 'none'", "object-src 'self'"));
    expect(staleCopies(tmp)).toEqual([page]);
    expect(writeCopies(tmp)).toEqual([page]);
    expect(readFileSync(join(tmp, page), 'utf8')).toBe(original);
  });
});
