import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What the first view and the inference worker's start load, read from the source's static
// imports (TypeScript's own parser; type-only imports and dynamic import() are not loads at
// start). Schema code (zod), the health-record library and the file readers belong to later
// steps: they load when a value is checked, a record is read or a file is chosen.
const src = fileURLToPath(new URL('./', import.meta.url));

function resolveImport(from: string, spec: string): string {
  const base = spec.startsWith('@/') ? join(src, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null;
  if (base === null) return spec; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (/\.(tsx?|json|css)$/.test(candidate) && existsSync(candidate)) return candidate;
  return base;
}

/** The modules a file loads when it is evaluated (static, value imports and re-exports). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const s of source.statements) {
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly ||
          (c.name === undefined &&
            c.namedBindings !== undefined &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push((s.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
      const named = s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements : null;
      if (!(named && named.length > 0 && named.every((e) => e.isTypeOnly))) out.push((s.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every package reached from `entry`, each with the chain of files that reaches it first. */
function packagesReached(entry: string): Map<string, string[]> {
  const seen = new Set<string>();
  const packages = new Map<string, string[]>();
  const queue: [string, string[]][] = [[join(src, entry), [entry]]];
  while (queue.length > 0) {
    const [file, chain] = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.tsx?$/.test(file) || !existsSync(file)) continue;
    for (const spec of staticImports(file)) {
      const target = resolveImport(file, spec);
      if (target === spec) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, [...chain, spec]);
      } else queue.push([target, [...chain, relative(src, target)]]);
    }
  }
  return packages;
}

const chainOf = (reached: Map<string, string[]>, pkg: string) => reached.get(pkg)?.join(' -> ') ?? null;

describe('what loads at start', () => {
  it('the first view (main.tsx and the app it mounts) loads no schema code, no health-record library, no file readers, no charts', () => {
    const reached = new Map([...packagesReached('app/mount.tsx'), ...packagesReached('main.tsx')]);
    expect(reached.has('react')).toBe(true); // the walk does reach packages
    for (const pkg of ['zod', 'fhirclient', 'papaparse', 'hyparquet', 'recharts']) expect(chainOf(reached, pkg), pkg).toBeNull();
  });

  it("the inference worker's start loads onnxruntime-web and no schema code, no file readers", () => {
    const reached = packagesReached('inference/worker/inference.worker.ts');
    expect(reached.has('onnxruntime-web')).toBe(true);
    for (const pkg of ['zod', 'papaparse', 'hyparquet', 'hyparquet-compressors', 'fhirclient']) expect(chainOf(reached, pkg), pkg).toBeNull();
  });
});
