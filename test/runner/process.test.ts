// The runner against fixture CLIs for failures the real CLI cannot show on demand (STYLE.md rule 12).
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunner } from '../../src/runner/index.js';
import type { RunEvent } from '../../src/shared/types.js';
import { agentIn, fixture, killAll, readPids, survivorsAfter, tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

function setup(name: string, env: Record<string, string> = {}, timeout = 30) {
  const { dir, cleanup } = tempDir();
  const pidFile = join(dir, 'pids');
  cleanups.push(() => killAll(readPids(pidFile)), cleanup);
  const runner = createRunner({ binaries: { claude: fixture(name) }, killGraceMs: 300, env: { PATH: process.env.PATH ?? '' } });
  const agent = agentIn(dir, { timeout, env: { FIXTURE_PID_FILE: pidFile, ...env } });
  return { runner, agent, pidFile };
}

describe('runner termination', () => {
  it('kills a child that ignores SIGTERM on timeout and still reports a timeout', async () => {
    const { runner, agent, pidFile } = setup('claude-hang', {}, 0.5);
    const result = await runner.run({ agent, task: 'hang' });
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('timeout');
    expect(result.signal).toBe('SIGKILL');
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.error?.hint).toContain(result.sessionId);
    expect(result.text).toBe('partial work');
    expect(await survivorsAfter(readPids(pidFile), 3000)).toEqual([]);
  });

  it('kills the whole process group, grandchildren that ignore SIGTERM included, on cancel', async () => {
    const { runner, agent, pidFile } = setup('claude-hang', { FIXTURE_GRANDCHILD: '1' });
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const pending = runner.run({ agent, task: 'hang' }, { signal: controller.signal, onEvent: (e) => {
      events.push(e);
      if (e.type === 'text') controller.abort();
    } });
    const result = await pending;
    expect(result.error?.type).toBe('cancelled');
    expect(events.map((e) => e.type)).toEqual(['init', 'text']);
    const pids = readPids(pidFile);
    expect(pids).toHaveLength(2);
    expect(await survivorsAfter(pids, 3000)).toEqual([]);
  });

  it('resolves when the child exits although a grandchild holds the pipes, and the grandchild dies', async () => {
    const { runner, agent, pidFile } = setup('claude-grandchild');
    const result = await runner.run({ agent, task: 'answer' });
    expect(result).toMatchObject({ ok: true, text: 'answered', exitCode: 0 });
    const pids = readPids(pidFile);
    expect(pids).toHaveLength(2);
    expect(await survivorsAfter(pids, 3000)).toEqual([]);
  });

  it('resolves when a grandchild that ignores SIGTERM holds the pipes, and kills it after the grace period', async () => {
    const { runner, agent, pidFile } = setup('claude-grandchild', { FIXTURE_IGNORE_TERM: '1' });
    const result = await runner.run({ agent, task: 'answer' });
    expect(result).toMatchObject({ ok: true, text: 'answered' });
    expect(await survivorsAfter(readPids(pidFile), 3000)).toEqual([]);
  });

  it('keeps an answer that arrived before the CLI lingered and had to be stopped', async () => {
    const { dir, cleanup } = tempDir();
    const pidFile = join(dir, 'pids');
    cleanups.push(() => killAll(readPids(pidFile)), cleanup);
    const runner = createRunner({ binaries: { claude: fixture('claude-hang') }, killGraceMs: 200, lingerMs: 200 });
    const result = await runner.run({ agent: agentIn(dir, { env: { FIXTURE_PID_FILE: pidFile, FIXTURE_RESULT_FIRST: '1' } }), task: 'x' });
    expect(result).toMatchObject({ ok: true, text: 'done early', costUsd: 0.01 });
    expect(await survivorsAfter(readPids(pidFile), 3000)).toEqual([]);
  });

  it('reports cancelled without spawning when the signal is already aborted', async () => {
    const { runner, agent, pidFile } = setup('claude-hang');
    const result = await runner.run({ agent, task: 'x' }, { signal: AbortSignal.abort() });
    expect(result.error?.type).toBe('cancelled');
    expect(readPids(pidFile)).toEqual([]);
  });
});

describe('runner output handling', () => {
  it('drains a 10 MB stderr flood without blocking the child and keeps only its tail', async () => {
    const { runner, agent } = setup('claude-flood');
    const result = await runner.run({ agent, task: 'flood' });
    expect(result.ok).toBe(true);
    expect(result.stderrTail.length).toBeLessThanOrEqual(16 * 1024);
    expect(result.stderrTail.endsWith('e\n')).toBe(true);
  });

  it('keeps the whole of an answer above maxOutputBytes (callers cut what they show inline)', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const runner = createRunner({ binaries: { claude: fixture('claude-flood') }, maxOutputBytes: 1000 });
    const result = await runner.run({ agent: agentIn(dir, { env: { FIXTURE_STDERR_BYTES: '0', FIXTURE_RESULT_BYTES: '50000' } }), task: 'x' });
    expect(result.truncated).toBeUndefined();
    expect(result.text).toBe('r'.repeat(50000));
  });

  it('streams 100 MB of events through without keeping them', async () => {
    const { runner, agent } = setup('claude-flood', { FIXTURE_STDERR_BYTES: '0', FIXTURE_STDOUT_BYTES: String(100 * 1024 * 1024) });
    let texts = 0;
    const result = await runner.run({ agent, task: 'x' }, { onEvent: (e) => { if (e.type === 'text') texts += 1; } });
    expect(result.ok).toBe(true);
    expect(texts).toBeGreaterThan(1500);
  });

  it('skips garbage lines and invalid UTF-8 and still reads the events', async () => {
    const { runner, agent } = setup('claude-garbage');
    const events: RunEvent[] = [];
    const result = await runner.run({ agent, task: 'x' }, { onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ ok: true, text: 'survived', numTurns: 1 });
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'result']);
    expect(events[1]).toEqual({ type: 'text', text: 'price: 5€' });
  });

  it('survives an onEvent callback that throws', async () => {
    const { runner, agent } = setup('claude-garbage');
    const result = await runner.run({ agent, task: 'x' }, { onEvent: () => { throw new Error('consumer bug'); } });
    expect(result.ok).toBe(true);
  });
});

describe('runner refusals', () => {
  it('refuses at the maximum depth before spawning', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const runner = createRunner({ binaries: { claude: '/nonexistent/claude' }, env: { AGENT_DISPATCH_DEPTH: '3' }, maxDepth: 3 });
    const result = await runner.run({ agent: agentIn(dir), task: 'x' });
    expect(result.error?.type).toBe('recursion');
    expect(result.error?.hint).toContain('max_dispatch_depth');
  });

  it('reports a missing binary as not_found with an install hint', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const result = await createRunner({ binaries: { claude: '/nonexistent/claude' } }).run({ agent: agentIn(dir), task: 'x' });
    expect(result.error).toMatchObject({ type: 'not_found', message: expect.stringContaining('/nonexistent/claude'), hint: expect.stringContaining('npm install') });
  });

  it('reports a missing agent directory as not_found', async () => {
    const result = await createRunner({ binaries: { claude: fixture('claude-ok') } }).run({ agent: agentIn('/nonexistent/project'), task: 'x' });
    expect(result.error).toMatchObject({ type: 'not_found', message: expect.stringContaining('does not exist: /nonexistent/project') });
  });

  it.each([
    ['a file', (d: string) => (writeFileSync(join(d, 'f'), 'x'), join(d, 'f')), 'is a file, not a directory'],
    ['a path through a file', (d: string) => (writeFileSync(join(d, 'f'), 'x'), join(d, 'f', 'sub')), 'cannot be reached: a part of its path is a file'],
    ['a symbolic link loop', (d: string) => (symlinkSync(join(d, 'loop'), join(d, 'loop')), join(d, 'loop')), 'is a symbolic link loop'],
  ])('gives the true reason when the agent directory is %s', async (_, make, reason) => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = make(dir);
    const result = await createRunner({ binaries: { claude: fixture('claude-ok') } }).run({ agent: agentIn(path), task: 'x' });
    expect(result.error).toMatchObject({ type: 'not_found', message: expect.stringMatching(new RegExp(`^The directory of agent \\S+ ${reason}.*: ${path}$`)) });
    expect(result.error?.message).not.toContain('does not exist');
  });

  it.each([
    ['a NUL byte in the task', { task: 'a\0b' }, /NUL/],
    ['a flag-like model', { task: 'x', model: '--evil' }, /starts with "-"/],
  ])('returns an error result, not a throw, for %s', async (_title, patch, message) => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { task, ...agentPatch } = patch as { task: string; model?: string };
    const result = await createRunner({ binaries: { claude: fixture('claude-ok') } }).run({ agent: agentIn(dir, agentPatch), task });
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(message);
  });
});
