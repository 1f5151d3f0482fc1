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
// domains.py imports only the standard library: load it by path, without the package's
// scientific dependencies, so that any Python 3 can answer.
const script = [
  'import importlib.util, json, sys',
  "spec = importlib.util.spec_from_file_location('prognos_domains', sys.argv[1])",
  'm = importlib.util.module_from_spec(spec)',
  'sys.modules[spec.name] = m  # its dataclasses look their module up',
  'spec.loader.exec_module(m)',
  'print(json.dumps(list(m.HISTORY_OPS)))',
].join('\n');

describe('history op lists', () => {
  it.skipIf(!existsSync(python))(`TypeScript's historyOps equal Python's HISTORY_OPS, in order (skipped: no ${python})`, () => {
    const r = spawnSync(python, ['-c', script, domainsPy], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout) as string[]).toEqual([...historyOps]);
  });
});
