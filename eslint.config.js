import { readdirSync } from 'node:fs';
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

// React as the resolver finds it: the package, or its @types for type-only imports.
const react = ['react', 'react-dom', 'react-hook-form', '@hookform/resolvers', '@tanstack/react-virtual', 'recharts'].flatMap(
  (p) => [`./node_modules/${p}`, `./node_modules/@types/${p}`],
);

// Imports flow one way: domain <- inference <- features <- app (docs/architecture.md); components
// sit beside inference. `target` is the importing file, `from` the imported one.
const layerZones = [
  {
    target: './src/domain',
    from: ['./src/inference', './src/features', './src/components', './src/app', ...react, './node_modules/onnxruntime-web'],
    message: 'domain is pure TS: no React, engine, worker, feature, component or app code.',
  },
  {
    target: './src/inference',
    from: ['./src/features', './src/components', './src/app'],
    message: 'inference serves features; it does not import them, components or the app.',
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
    from: ['./src/inference', './src/features', './src/components', './src/app', ...react, './node_modules/onnxruntime-web'],
    message: 'src/build is build-time code: it may import domain only, no engine, worker, React or view code.',
  },
  {
    target: ['./src/domain', './src/inference', './src/features', './src/components', './src/app', './src/main.tsx'],
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
    },
  },
  {
    // domain does no I/O: reading files and fetching belong to inference (e.g. blob-text.ts).
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'import-x/no-nodejs-modules': 'error',
      // A type too: a domain function taking a Blob would be one that reads it.
      '@typescript-eslint/no-restricted-types': ['error', {
        types: Object.fromEntries(['Blob', 'File', 'FileReader'].map((name) => [name, 'domain does no I/O: read the file in src/inference.'])),
      }],
      'no-restricted-globals': ['error', ...['fetch', 'XMLHttpRequest', 'FileReader', 'Blob', 'File', 'Worker'].map((name) => ({
        name,
        message: 'domain does no I/O: read or fetch in src/inference and hand domain the data.',
      }))],
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
