// Worktree isolation and files_changed (issue 19), on a real repository of 10,000 files:
// 1. what isolation adds to a dispatch: openWorkspace with isolation "worktree" (checks, `git worktree add`,
//    snapshot) vs with isolation "none" (snapshot only), beside a bare `git worktree add` baseline; target ≤ 300 ms added.
// 2. files_changed with 1,000 changed files (modified, deleted, renamed, untracked): measureChanges vs a bare
//    `git status --porcelain` baseline in the same run; target ≤ 100 ms.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTs } from '../test/support/load-ts.mjs';
import { measurePaired, percentile } from './lib/paired.mjs';

const SRC = join(import.meta.dirname, '..', 'src', 'runner', 'git');
const { createGit } = await importTs(join(SRC, 'git.ts'));
const { openWorkspace } = await importTs(join(SRC, 'workspace.ts'));
const { measureChanges, takeSnapshot } = await importTs(join(SRC, 'measure.ts'));

const FILES = 10_000;
const CHANGED = 1_000;
const RUNS = 10;
const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b', GIT_CONFIG_GLOBAL: '/dev/null' };
const root = mkdtempSync(join(tmpdir(), 'ad-bench-worktree-'));
const repo = join(root, 'repo');
const sh = (cwd, ...args) => execFileSync('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 }).toString();
const timed = (fn) => async () => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const logger = { debug() {}, info() {}, warn() {}, error() {} };
const ms = (n) => `${n.toFixed(1)} ms`;

try {
  mkdirSync(repo);
  sh(repo, 'init', '-q', '-b', 'main');
  for (let i = 0; i < FILES; i += 1) {
    const dir = join(repo, `d${i % 100}`);
    if (i < 100) mkdirSync(dir);
    writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n${'line\n'.repeat(20)}`);
  }
  sh(repo, 'add', '-A');
  sh(repo, 'commit', '-q', '-m', 'initial');
  const git = createGit(env);
  const worktrees = join(root, 'worktrees');
  const agent = { name: 'bench', directory: repo, description: '', runtime: 'claude', timeout: 60 };
  let n = 0;

  // 1. Worktree creation, three ways in rotating order so cache warmth and machine noise hit each alike:
  //    isolation none (snapshot only), a bare `git worktree add`, and isolation worktree.
  const none = timed(async () => openWorkspace({ git, worktreesDir: worktrees, logger }, { agent, task: 't', isolation: 'none' }));
  const raw = timed(async () => {
    n += 1;
    sh(repo, '-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '-q', '-b', `raw-${n}`, join(root, 'raw', String(n)), 'HEAD');
  });
  const ours = timed(async () => {
    n += 1;
    await openWorkspace({ git, worktreesDir: worktrees, logger }, { agent, task: 't', isolation: 'worktree' }, { jobId: n.toString(16).padStart(8, '0').padEnd(32, '0') });
  });
  const sides = [none, raw, ours];
  const times = [[], [], []];
  for (const fn of sides) await fn(); // warm-up
  for (let i = 0; i < 6; i += 1) {
    for (let k = 0; k < 3; k += 1) {
      const at = (i + k) % 3;
      times[at].push(await sides[at]());
    }
  }
  const creation = { raw: times[0], ours: times[2] };
  const rawAdd = times[1];
  const paired = percentile(times[2].map((t, i) => t - times[1][i]), 0.5);
  sh(repo, 'worktree', 'prune');

  // 2. files_changed with 1,000 changes: 700 modified, 100 deleted, 100 renamed (staged), 100 untracked.
  const snapshot = await takeSnapshot(git, repo, env);
  for (let i = 0; i < 700; i += 1) writeFileSync(join(repo, `d${i % 100}`, `f${i}.txt`), `changed ${i}\n`);
  for (let i = 700; i < 800; i += 1) unlinkSync(join(repo, `d${i % 100}`, `f${i}.txt`));
  for (let i = 800; i < 900; i += 1) renameSync(join(repo, `d${i % 100}`, `f${i}.txt`), join(repo, `d${i % 100}`, `moved${i}.txt`));
  sh(repo, 'add', '-A', '--', ...Array.from({ length: 100 }, (_, k) => `d${(800 + k) % 100}`));
  for (let i = 0; i < 100; i += 1) writeFileSync(join(repo, `new${i}.txt`), `new ${i}\n`);
  let files = 0;
  const measure = await measurePaired(
    timed(async () => sh(repo, 'status', '--porcelain')),
    timed(async () => {
      const report = await measureChanges(git, snapshot, { maxFiles: 200 });
      files = report.files.length + (report.omitted ?? 0);
    }),
    { runs: RUNS, warmup: 2 },
  );
  const numstat = [];
  for (let i = 0; i < RUNS; i += 1) numstat.push(await timed(() => sh(repo, 'diff', '--numstat', '-M', 'HEAD'))());
  const snap = [];
  for (let i = 0; i < RUNS; i += 1) snap.push(await timed(() => takeSnapshot(git, repo, env))());

  const added = percentile(creation.ours, 0.5) - percentile(creation.raw, 0.5);
  console.log(`worktree: repository of ${FILES} files, p50 of 6 runs (creation) and ${RUNS} runs (files_changed)`);
  console.log(`  dispatch setup, isolation none (snapshot):      ${ms(percentile(creation.raw, 0.5))}`);
  console.log(`  dispatch setup, isolation worktree:             ${ms(percentile(creation.ours, 0.5))}  (added ${ms(added)} over isolation none; target ≤ 300 ms)`);
  console.log(`  baseline: bare git worktree add:                ${ms(percentile(rawAdd, 0.5))}  (ours / baseline ${(percentile(creation.ours, 0.5) / percentile(rawAdd, 0.5)).toFixed(2)}x, paired difference ${ms(paired)})`);
  console.log(`  files_changed, ${files} changed files:         ${ms(percentile(measure.ours, 0.5))}  (target ≤ 100 ms)`);
  console.log(`  baseline: bare git status --porcelain:          ${ms(percentile(measure.raw, 0.5))}  (ours / baseline ${(percentile(measure.ours, 0.5) / percentile(measure.raw, 0.5)).toFixed(2)}x)`);
  console.log(`  baseline: bare git diff --numstat -M HEAD:      ${ms(percentile(numstat, 0.5))}  (ours / baseline ${(percentile(measure.ours, 0.5) / percentile(numstat, 0.5)).toFixed(2)}x)`);
  console.log(`  snapshot before a run, same tree (1,000 dirty): ${ms(percentile(snap, 0.5))}`);
  if (files !== CHANGED) console.log(`  warning: expected ${CHANGED} changed files, measured ${files}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
