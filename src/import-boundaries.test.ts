import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

// The project's own eslint.config.js, run through ESLint's Node API: each boundary rule
// must fire on a snippet that crosses it, and stay quiet on one that does not.
const root = fileURLToPath(new URL('../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Rule ids reported for `code` as if it were the file at `path` (relative to the repo). */
async function ruleIds(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  const fatal = result!.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('; '));
  return result!.messages.map((m) => m.ruleId ?? '');
}

const restricted = 'import-x/no-restricted-paths';

describe('import boundaries (eslint.config.js)', () => {
  it('keeps React out of domain, type-only imports included', async () => {
    expect(await ruleIds("import { useState } from 'react';\nexport const s = useState;\n", 'src/domain/probe.ts')).toEqual([restricted]);
    expect(await ruleIds("import type { ReactNode } from 'react';\nexport type N = ReactNode;\n", 'src/domain/probe.ts')).toEqual([restricted]);
  });

  it('keeps domain from importing the layers above it (through @/ paths)', async () => {
    for (const from of ['@/inference/client', '@/storage/local-setting', '@/features/predict/explain', '@/components/ui/format', '@/app/router']) {
      expect(await ruleIds(`import * as m from '${from}';\nexport { m };\n`, 'src/domain/probe.ts'), from).toEqual([restricted]);
    }
  });

  it('keeps I/O out of domain: no Node modules, no fetch, no Blob reading', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/domain/probe.ts')).toEqual([
      'import-x/no-nodejs-modules',
    ]);
    expect(await ruleIds('export const get = (u: string) => fetch(u);\n', 'src/domain/probe.ts')).toEqual(['no-restricted-globals']);
    expect(await ruleIds('export const read = (b: Blob) => b.stream();\n', 'src/domain/probe.ts')).toEqual([
      '@typescript-eslint/no-restricted-types',
    ]);
    expect(await ruleIds("export const blob = new Blob(['x']);\n", 'src/domain/probe.ts')).toEqual(['no-restricted-globals']);
    expect(await ruleIds("import * as ort from 'onnxruntime-web/wasm';\nexport { ort };\n", 'src/domain/probe.ts')).toEqual([restricted]);
    // Tests may read fixtures.
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/domain/probe.test.ts')).toEqual([]);
  });

  it('lets domain import domain', async () => {
    expect(await ruleIds("import { validate } from '@/domain/fields';\nexport { validate };\n", 'src/domain/probe.ts')).toEqual([]);
  });

  it('keeps inference and components below features and the app', async () => {
    const code = "import { explain } from '@/features/predict/explain';\nexport { explain };\n";
    expect(await ruleIds(code, 'src/inference/probe.ts')).toEqual([restricted]);
    expect(await ruleIds(code, 'src/components/ui/probe.ts')).toEqual([restricted]);
    expect(await ruleIds("import { href } from '@/app/router';\nexport { href };\n", 'src/components/ui/probe.ts')).toEqual([restricted]);
  });

  it('lets features reach only the page side of inference: no worker code, no raw messages', async () => {
    const use = (from: string) => `import * as m from '${from}';\nexport { m };\n`;
    for (const at of ['src/features/batch/probe.ts', 'src/components/ui/probe.ts', 'src/app/probe.ts']) {
      expect(await ruleIds(use('@/inference/worker/engine'), at), at).toEqual([restricted]);
      expect(await ruleIds(use('@/inference/protocol'), at), at).toEqual([restricted]);
      expect(await ruleIds(use('@/inference/use-job-run'), at), at).toEqual([]);
    }
  });

  it('keeps the page side of inference and its workers apart, but for the shared wire protocol', async () => {
    const use = (from: string) => `import * as m from '${from}';\nexport { m };\n`;
    // The page starts workers from their URL: importing worker code would put it in the main bundle.
    expect(await ruleIds(use('@/inference/worker/engine'), 'src/inference/probe.ts')).toEqual([restricted]);
    expect(await ruleIds(use('@/inference/client'), 'src/inference/worker/probe.ts')).toEqual([restricted]);
    expect(await ruleIds(use('@/inference/use-inference'), 'src/inference/worker/probe.ts')).toEqual([restricted]);
    for (const from of ['@/inference/protocol', '@/inference/integrity', '@/inference/worker/engine', '@/domain/fields']) {
      expect(await ruleIds(use(from), 'src/inference/worker/probe.ts'), from).toEqual([]);
    }
    expect(await ruleIds(use('@/inference/protocol'), 'src/inference/probe.ts')).toEqual([]);
  });

  it('puts storage beside inference: it reads domain; features and components may use it, inference may not', async () => {
    const use = (from: string) => `import * as m from '${from}';\nexport { m };\n`;
    for (const from of ['@/inference/client', '@/components/ui/format', '@/features/predict/explain', '@/app/router']) {
      expect(await ruleIds(use(from), 'src/storage/probe.ts'), from).toEqual([restricted]);
    }
    expect(await ruleIds(use('@/domain/saved-prediction'), 'src/storage/probe.ts')).toEqual([]);
    expect(await ruleIds(use('react'), 'src/storage/probe.ts')).toEqual([]);
    expect(await ruleIds(use('@/storage/saved-predictions'), 'src/inference/probe.ts')).toEqual([restricted]);
    expect(await ruleIds(use('@/storage/saved-predictions'), 'src/inference/worker/probe.ts')).toEqual([restricted]);
    // The worker that holds a fleet's log keeps its workspace; the page side of inference does not.
    expect(await ruleIds(use('@/storage/fleet-workspace-store'), 'src/inference/worker/probe.ts')).toEqual([]);
    expect(await ruleIds(use('@/storage/fleet-workspace-store'), 'src/inference/probe.ts')).toEqual([restricted]);
    for (const at of ['src/features/predict/probe.ts', 'src/components/ui/probe.ts', 'src/app/probe.ts']) {
      expect(await ruleIds(use('@/storage/use-cutoff'), at), at).toEqual([]);
    }
  });

  it('keeps build-time code (src/build) apart: it reads domain only, and only vite.config.ts imports it', async () => {
    expect(await ruleIds("import { parseManifest } from '../domain/manifest.ts';\nexport { parseManifest };\n", 'src/build/probe.ts')).toEqual([]);
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/build/probe.ts')).toEqual([]);
    for (const from of ['@/inference/worker/engine', '@/storage/local-setting', '@/components/ui/format', 'react']) {
      expect(await ruleIds(`import * as m from '${from}';\nexport { m };\n`, 'src/build/probe.ts'), from).toEqual([restricted]);
    }
    const build = "import { modelCore } from '@/build/model-core';\nexport { modelCore };\n";
    for (const at of [
      'src/domain/probe.ts',
      'src/inference/probe.ts',
      'src/inference/worker/probe.ts',
      'src/storage/probe.ts',
      'src/features/models/probe.ts',
      'src/app/probe.ts',
    ]) {
      expect(await ruleIds(build, at), at).toEqual([restricted]);
    }
  });

  it('keeps one feature from importing another, or the app; its own files and lower layers are fine', async () => {
    const other = "import { SeedJsonPanel } from '@/features/seed-json/seed-json-panel';\nexport { SeedJsonPanel };\n";
    expect(await ruleIds(other, 'src/features/predict/probe.ts')).toEqual([restricted]);
    expect(await ruleIds("import { href } from '@/app/router';\nexport { href };\n", 'src/features/batch/probe.ts')).toEqual([restricted]);
    const own =
      "import { explain } from '@/features/predict/explain';\nimport { inference } from '@/inference/client';\nexport { explain, inference };\n";
    expect(await ruleIds(own, 'src/features/predict/probe.ts')).toEqual([]);
    expect(await ruleIds(other, 'src/app/probe.ts')).toEqual([]);
  });

  describe('no-cycle', () => {
    // A two-file cycle on disk (the rule follows real files), linted with the same config.
    const dir = mkdtempSync(join(tmpdir(), 'prognos-cycle-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a two-file import cycle', async () => {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src/a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'src/b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      // Our config file, its patterns read from the temp dir (a config given this way is relative to cwd).
      const probe = new ESLint({ cwd: dir, overrideConfigFile: join(root, 'eslint.config.js') });
      const [a, b] = await probe.lintFiles(['src/a.ts', 'src/b.ts']);
      expect(a!.messages.map((m) => m.ruleId)).toEqual(['import-x/no-cycle']);
      expect(b!.messages.map((m) => m.ruleId)).toEqual(['import-x/no-cycle']);
    });
  });

  it('finds the files that used to cross a boundary clean now', async () => {
    const files = ['src/features/predict/predict-view.tsx', 'src/features/predict/result-panel.tsx', 'src/app/app.tsx'];
    const results = await eslint.lintFiles(files.map((f) => join(root, f)));
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.ruleId} ${m.message}`))).toEqual([]);
  });
});
