// The build of the commit this branch started from, for side-by-side timings in the same run.
// Built once per commit in a throwaway git worktree in the temp folder (with a hard-linked copy
// of node_modules), its dist/ kept in bench/tmp/base-<sha>/ and reused.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, run } from './lib.mjs';

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** BENCH_BASE, or where HEAD left `main`; null when that is HEAD itself (nothing to compare). */
export function baseCommit() {
  const ref =
    process.env.BENCH_BASE ??
    (() => {
      try {
        return git('merge-base', 'HEAD', 'main');
      } catch {
        return null;
      }
    })();
  if (!ref) return null;
  const sha = git('rev-parse', ref);
  return sha === git('rev-parse', 'HEAD') ? null : sha;
}

/** The base commit's dist/ folder, built if not already there. */
export async function baseDist(sha) {
  const dist = join(root, 'bench', 'tmp', `base-${sha.slice(0, 10)}`, 'dist');
  if (existsSync(join(dist, 'index.html'))) return dist;
  const wt = join(tmpdir(), `prognos-base-${sha.slice(0, 10)}-${process.pid}`);
  git('worktree', 'add', '--detach', wt, sha);
  try {
    await run('cp', ['-al', join(root, 'node_modules'), join(wt, 'node_modules')]);
    await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: wt });
    mkdirSync(dist, { recursive: true });
    cpSync(join(wt, 'dist'), dist, { recursive: true });
  } finally {
    rmSync(join(wt, 'node_modules'), { recursive: true, force: true });
    git('worktree', 'remove', '--force', wt);
  }
  return dist;
}
