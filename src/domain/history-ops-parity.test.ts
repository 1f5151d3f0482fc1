// The history op names are listed twice, here (historyOps) and in the training code
// (HISTORY_OPS in training/prognos_train/domains.py, which checks the declaration). An op added
// to one language only would pass that language's checks and fail in the other; this test
// reads the Python list from Python itself, so the two cannot drift apart.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@/test/golden';
import { historyOps } from './history';

const python = '/usr/bin/python3';
const domainsPy = fileURLToPath(new URL('training/prognos_train/domains.py', repoRoot));
// domains.py (and declaration_reader.py, which it imports) use only the standard library: they
// are loaded from an empty stand-in for their package, without the package's __init__ and its
// scientific dependencies, so that any Python 3 can answer.
const script = [
  'import importlib, json, os, sys, types',
  "package = types.ModuleType('prognos_train')",
  'package.__path__ = [os.path.dirname(sys.argv[1])]',
  "sys.modules['prognos_train'] = package",
  "m = importlib.import_module('prognos_train.domains')",
  'print(json.dumps(list(m.HISTORY_OPS)))',
].join('\n');

describe('history op lists', () => {
  it.skipIf(!existsSync(python))(`TypeScript's historyOps equal Python's HISTORY_OPS, in order (skipped: no ${python})`, () => {
    const r = spawnSync(python, ['-c', script, domainsPy], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout) as string[]).toEqual([...historyOps]);
  });
});
