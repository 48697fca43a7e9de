// scripts/ci-summary.mjs: CI's last line adds up every run (main suite, Node 22, Node 24), and a run that died
// without a report still counts as a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ad-ci-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(name: string, passed: number, failed: number, pending = 0): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: pending, numTodoTests: 0 }));
  return file;
}

const summary = (...args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ci-summary.mjs'), ...args], { encoding: 'utf8' });

describe('ci-summary', () => {
  it.each([
    ['one run', () => [report('a.json', 10, 0, 2), '0'], '10 passed, 0 failed, 2 skipped', 0],
    ['three runs, all green', () => [report('b.json', 10, 0), '0', report('c.json', 4, 0), '0', report('d.json', 4, 0), '0'], '18 passed, 0 failed', 0],
    ['a failing Node 22 run', () => [report('e.json', 10, 0), '0', report('f.json', 3, 1), '1', report('g.json', 4, 0), '0'], '17 passed, 1 failed', 1],
    ['a run that left no report', () => [report('h.json', 10, 0), '0', join(dir, 'missing.json'), '1'], '10 passed, 1 failed', 1],
    ['a lint failure before any test', () => [join(dir, 'none.json'), '2'], '0 passed, 1 failed', 1],
  ])('adds up %s', (_name, args, line, code) => {
    const run = summary(...args());
    expect(run.stdout.trim().split('\n').at(-1)).toBe(line);
    expect(run.status).toBe(code);
  });
});
