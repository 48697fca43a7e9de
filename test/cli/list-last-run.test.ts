// `list` shows each agent's last run from the job store: outcome and age in the table (coloured only on a
// terminal, NO_COLOR respected) and in --json.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/cli/commands/list-last-run.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { RunResult } from '../../src/shared/types.js';
import { sandbox } from './config-harness.js';

const result = (agent: string, over: Partial<RunResult>): RunResult => ({
  ok: true, agent, runtime: 'claude', text: 'done', costUsd: 0.001, numTurns: 1, durationMs: 900, permissionDenials: [], exitCode: 0, signal: null, stderrTail: '',
  usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
  ...over,
});

describe('outcomeOf', () => {
  it.each([
    [{ status: 'done', ok: true }, 'ok'],
    [{ status: 'done', ok: false, errorType: 'permission' }, 'failed: permission'],
    [{ status: 'failed', errorType: 'timeout' }, 'failed: timeout'],
    [{ status: 'failed' }, 'failed: error'],
    [{ status: 'cancelled' }, 'cancelled'],
    [{ status: 'running' }, 'running'],
  ] as const)('%j → %s', (job, text) => expect(outcomeOf(job)).toBe(text));
});

describe('list with runs in the job store', () => {
  const box = sandbox();
  const web = box.project('web', { 'CLAUDE.md': '# Web' });
  const api = box.project('api', { 'CLAUDE.md': '# API' });
  const idle = box.project('idle', { 'CLAUDE.md': '# Idle' });
  box.write(`agents:\n  web:\n    directory: ${web}\n  api:\n    directory: ${api}\n  idle:\n    directory: ${idle}\n`);

  it('prints the newest outcome per agent, and nothing for an agent that never ran', async () => {
    const dir = join(box.home, '.local', 'state', 'agent-dispatch');
    mkdirSync(dir, { recursive: true });
    const store = createJobStore({ path: join(dir, 'jobs.db') });
    for (const [agent, run] of [
      ['web', result('web', { ok: false, error: { type: 'timeout', message: 'slow' } })],
      ['web', result('web', {})],
      ['api', result('api', { ok: false, error: { type: 'auth', message: '401' } })],
    ] as const) {
      const job = store.create({ kind: 'sync', request: { agent, task: 't' } });
      store.markRunning(job.id);
      store.finish(job.id, { status: run.ok ? 'done' : 'failed', result: run });
    }
    store.close();

    const json = JSON.parse((await box.run(['list', '--json'])).stdout) as { name: string; last_run: { outcome: string; at: string } | null }[];
    expect(Object.fromEntries(json.map((a) => [a.name, a.last_run?.outcome ?? null]))).toEqual({ api: 'failed: auth', idle: null, web: 'ok' });
    expect(Date.parse(json[0]!.last_run!.at)).toBeGreaterThan(Date.now() - 60_000);

    const table = (await box.run(['list'])).stdout;
    expect(table).toMatch(/^web +ok +ok, \d+ s ago/m);
    expect(table).toMatch(/^api +ok +failed: auth, \d+ s ago/m);
    expect(table).not.toContain('\x1b[');
    expect((await box.run(['list'], { tty: true })).stdout).toContain('\x1b[31mfailed: auth');
    expect((await box.run(['list'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });
});
