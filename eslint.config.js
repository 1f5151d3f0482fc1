import { readdirSync, realpathSync } from 'node:fs';
import { relative } from 'node:path';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

// Each folder of src/features is a feature; read here so a new feature is fenced in too.
const features = readdirSync(`${root}/src/features`, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

// Packages where the resolver finds them: node_modules may be a link (a git worktree sharing
// another checkout's), and the resolver reports the real path.
const modules = `./${relative(root, realpathSync(`${root}/node_modules`)) || 'node_modules'}`;
// React as the resolver finds it: the package, or its @types for type-only imports.
const react = ['react', 'react-dom', 'react-hook-form', '@hookform/resolvers', '@tanstack/react-virtual', 'recharts'].flatMap((p) => [
  `${modules}/${p}`,
  `${modules}/@types/${p}`,
]);
const engine = `${modules}/onnxruntime-web`;

// Imports flow one way: domain <- inference | storage <- features <- app (docs/architecture.md);
// components sit beside inference and storage. Inference has two sides: src/inference/worker
// runs in the workers, the rest of src/inference on the page; protocol.ts (the wire) and
// integrity.ts are shared. `target` is the importing file, `from` the imported one.
const layerZones = [
  {
    target: './src/domain',
    from: ['./src/inference', './src/storage', './src/features', './src/components', './src/app', ...react, engine],
    message: 'domain is pure TS: no React, engine, worker, storage, feature, component or app code.',
  },
  {
    target: './src/inference',
    from: ['./src/features', './src/components', './src/app'],
    message: 'inference serves features; it does not import them, components or the app.',
  },
  {
    target: './src/inference/*.{ts,tsx}',
    from: './src/storage',
    message: 'the page side of inference does not import storage: features use both.',
  },
  {
    // The fleet workspace is kept by the worker that holds the log (a million readings are not
    // sent to the page to be stored); the rest of storage is the page's.
    target: './src/inference/worker',
    from: './src/storage',
    except: ['./fleet-workspace-store.ts'],
    message: "worker code keeps only the fleet workspace (storage/fleet-workspace-store.ts); the rest of storage is the page's.",
  },
  {
    target: './src/storage',
    from: ['./src/inference', './src/features', './src/components', './src/app', engine],
    message: 'storage sits beside inference: it reads domain only (and React for its hooks).',
  },
  {
    // The page's side of inference never loads worker code (it would land in the main bundle);
    // the workers are started from their URL (browser-client.ts).
    target: './src/inference/*.{ts,tsx}',
    from: './src/inference/worker',
    message: 'the page side of inference does not import worker code: talk to the workers through protocol.ts messages.',
  },
  {
    target: './src/inference/worker',
    from: './src/inference',
    except: ['./worker', './protocol.ts', './integrity.ts'],
    message: 'worker code imports only the shared protocol.ts and integrity.ts of the page side.',
  },
  {
    target: ['./src/features', './src/components', './src/app'],
    from: ['./src/inference/worker', './src/inference/protocol.ts'],
    message: 'features reach the workers through the page side of inference (client, hooks), never worker code or raw messages.',
  },
  {
    target: './src/components',
    from: ['./src/features', './src/app'],
    message: 'shared components know no feature and no app shell.',
  },
  {
    target: './src/features',
    from: './src/app',
    message: 'a feature does not import the app shell; the shell composes features.',
  },
  {
    // Build-time code (Vite plugins), run in Node by vite.config.ts: it may read pure domain
    // code (e.g. the manifest contract), never the browser's layers.
    target: './src/build',
    from: ['./src/inference', './src/storage', './src/features', './src/components', './src/app', ...react, engine],
    message: 'src/build is build-time code: it may import domain only, no engine, worker, storage, React or view code.',
  },
  {
    target: ['./src/domain', './src/inference', './src/storage', './src/features', './src/components', './src/app', './src/main.tsx'],
    from: './src/build',
    message: 'src/build runs at build time, in Node: only vite.config.ts imports it.',
  },
  ...features.map((f) => ({
    target: `./src/features/${f}`,
    from: './src/features',
    except: [`./${f}`],
    message: 'a feature does not import another feature; compose them in src/app.',
  })),
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'training', 'bench/tmp', '**/*.tmp.mjs'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Layer boundaries and cycles; the TypeScript resolver reads tsconfig's `@/` paths.
    // src/import-boundaries.test.ts shows each rule firing.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x reads only .js files and no-cycle sees no .ts graph.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json`, alwaysTryTypes: true })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones }],
      // Type-only imports are erased at build, so this rule does not follow them.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // One import order everywhere (eslint --fix writes it): packages, then @/ modules, then relative ones.
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', ['parent', 'sibling', 'index']],
          pathGroups: [{ pattern: '@/**', group: 'internal' }],
          pathGroupsExcludedImportTypes: ['builtin'],
          'newlines-between': 'never',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
    },
  },
  {
    // domain does no I/O: reading files and fetching belong to inference (e.g. worker/blob-text.ts).
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'import-x/no-nodejs-modules': 'error',
      // A type too: a domain function taking a Blob would be one that reads it.
      '@typescript-eslint/no-restricted-types': [
        'error',
        {
          types: Object.fromEntries(['Blob', 'File', 'FileReader'].map((name) => [name, 'domain does no I/O: read the file in src/inference.'])),
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'FileReader', 'Blob', 'File', 'Worker'].map((name) => ({
          name,
          message: 'domain does no I/O: read or fetch in src/inference and hand domain the data.',
        })),
      ],
    },
  },
  {
    // zod is configured (jitless, for the Content-Security-Policy) in one module that every schema imports.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/domain/zod.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'zod', message: "import { z } from '@/domain/zod' (configured jitless for the CSP)." }] }],
    },
  },
);
