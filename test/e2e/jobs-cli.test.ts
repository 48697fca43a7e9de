// `agent-dispatch jobs …` and `agent-dispatch costs`, run in-process against a temp state directory: tables,
// filters, JSON, short ids, clear errors, cancel, gc, the reference's aliases, and `jobs wait` following a
// background job run by the real detached supervisor (the built CLI) with a fixture agent.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveJobId } from '../../src/cli/commands/jobs-view.js';
import { runCli } from '../../src/cli/run.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { JobStore, JobSummary } from '../../src/jobs/store/types.js';
import { silentLogger } from '../../src/shared/log.js';
import { formatCost } from '../../src/cli/ui/text.js';
import { AGENT_DISPATCH_BIN, assertBuilt, sleepingAgentEnv } from '../support/product.js';
import { runResult } from '../jobs/support/store.js';

let dir: string;
let env: Record<string, string>;
let store: JobStore;
const ids: Record<string, string> = {};

async function cli(argv: string[], extra: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { ...env, ...extra },
    cwd: dir,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    selfCommand: [process.execPath, AGENT_DISPATCH_BIN],
  });
  return { code, stdout, stderr };
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ad-jobs-cli-'));
  for (const name of ['api', 'web']) mkdirSync(join(dir, name));
  const config = { agents: { api: { directory: join(dir, 'api'), daily_budget_usd: 1 }, web: { directory: join(dir, 'web') } }, settings: { daily_budget_usd: 5, job_retention_days: 30 } };
  env = sleepingAgentEnv(dir, config, { FIXTURE_SLEEP_MS: '400', FIXTURE_COST: '0.02', NO_COLOR: '1' });
  store = createJobStore({ path: join(dir, 'state', 'jobs.db'), logger: silentLogger });
  const done = store.create({ kind: 'sync', request: { agent: 'api', task: 'List the endpoints', caller: 'ops' }, prompt: '## Task\nList the endpoints' });
  store.markRunning(done.id);
  store.saveProgress(done.id, { turns: 1, lastTool: 'Bash: ls', tail: [], updatedAt: Date.now() }, [
    { type: 'init', sessionId: 's1', model: 'claude-test' },
    { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls routes' } },
    { type: 'tool_result', toolUseId: 't1', isError: false, content: 'users.ts' },
  ]);
  store.finish(done.id, { status: 'done', result: runResult({ agent: 'api', text: 'GET /users\nPOST /users', costUsd: 0.25, numTurns: 2 }) });
  const failed = store.create({ kind: 'async', request: { agent: 'web', task: 'Build the site' } });
  store.markRunning(failed.id);
  store.finish(failed.id, { status: 'failed', result: runResult({ ok: false, agent: 'web', text: '', costUsd: 0.1, error: { type: 'timeout', message: 'The agent ran past 300 s.', hint: 'Raise the timeout.' } }) });
  const pending = store.create({ kind: 'async', request: { agent: 'web', task: 'Wait in line' } });
  Object.assign(ids, { done: done.id, failed: failed.id, pending: pending.id });
});

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent-dispatch jobs', () => {
  it('lists jobs newest first in a table with short ids, and filters them', async () => {
    const all = await cli(['jobs']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+AGENT\s+CREATED\s+TIME\s+COST\s+TASK$/);
    expect(lines[1]).toMatch(new RegExp(`^${ids.pending!.slice(0, 8)}\\s+pending\\s+web\\s+\\d+ s ago\\s+queued`));
    expect(lines[2]).toMatch(new RegExp(`^${ids.failed!.slice(0, 8)}\\s+failed: timeout\\s+web .* \\$0\\.1 +Build the site$`));
    expect(lines[3]).toMatch(new RegExp(`^${ids.done!.slice(0, 8)}\\s+done\\s+api .* \\$0\\.25 +List the endpoints$`));
    expect(lines.at(-1)).toBe('3 jobs; details: agent-dispatch jobs show ID');

    expect((await cli(['jobs', '--status', 'failed'])).stdout).not.toContain('List the endpoints');
    expect((await cli(['jobs', '--agent', 'api'])).stdout).toContain('1 job;');
    expect((await cli(['jobs', '--limit', '1'])).stdout).toContain('1 of 3 jobs (--limit shows more)');
    const json = JSON.parse((await cli(['jobs', '--json', '--status', 'done'])).stdout) as Record<string, unknown>[];
    expect(json).toEqual([expect.objectContaining({ job_id: ids.done, status: 'done', agent: 'api', success: true, cost_usd: 0.25, caller: 'ops' })]);
  });

  it.each([
    [['jobs', '--status', 'bogus'], 2, '--status must be one of pending, running, done, failed, cancelled; got "bogus".'],
    [['jobs', '--limit', '0'], 2, '--limit must be a whole number from 1 to 10000; got "0".'],
    [['jobs', 'show', 'xyz'], 1, '"xyz" is not a job id: give the full 32-character id or a unique prefix of 6 or more of its characters.'],
    [['jobs', 'show', 'abcde'], 1, '"abcde" is too short to pick a job: give the full 32-character id or a unique prefix of 6 or more of its characters.'],
    [['jobs', 'show', '0'.repeat(32)], 1, `No job with id ${'0'.repeat(32)}.`],
    [['job', 'abcdef0'], 1, 'No job id starts with abcdef0.'],
    [['jobs', 'wait', 'nope'], 1, '"nope" is not a job id'],
    [['cancel', '0'.repeat(32)], 1, 'No job with id'],
    [['gc', '--days', '3', '--all'], 1, 'Give --days N or --all, not both.'],
    [['costs', '--days', '0'], 2, '--days must be a whole number from 1 to 3660; got "0".'],
    [['jobs', 'shwo', 'abcdef'], 2, "unknown command 'shwo' for 'jobs'\n(Did you mean show?)"],
  ])('rejects %j with a clear error and exit %i', async (argv, code, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(`error: ${message}`);
    expect(run.stderr).not.toContain('dispatch_async');
  });

  it('shows one job by a short id: facts, prompt, events (counted as listed) and result; `job ID` is the same', async () => {
    const shown = await cli(['jobs', 'show', ids.done!.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Job ${ids.done}`);
    expect(shown.stdout).toMatch(/status\s+done\n\s+agent\s+api\n\s+kind\s+sync\n\s+caller\s+ops/);
    expect(shown.stdout).toContain('Prompt\n  ## Task\n  List the endpoints');
    expect(shown.stdout).toMatch(/created\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(\d+ s ago\)/);
    expect(shown.stdout).toMatch(/Events \(2\)\n\s+\d\d:\d\d:\d\d\.\d{3} {2}started \(claude-test\)\n\s+\d\d:\d\d:\d\d\.\d{3} {2}turn 1 · Bash: ls routes/);
    expect(shown.stdout).toContain('Result\n  GET /users\n  POST /users');
    // The same view, apart from the relative times ("3 s ago"), which may tick between the two runs.
    const steady = (text: string) => text.replace(/\(\d+ s ago\)/g, '(… ago)');
    expect(steady((await cli(['job', ids.done!])).stdout)).toBe(steady(shown.stdout));

    const failed = await cli(['jobs', 'show', ids.failed!]);
    expect(failed.stdout).toContain('status   failed: timeout');
    expect(failed.stdout).toContain('timeout: The agent ran past 300 s.\n  fix: Raise the timeout.');
    const json = JSON.parse((await cli(['jobs', 'show', ids.done!, '--json'])).stdout);
    expect(json).toMatchObject({ job_id: ids.done, status: 'done', prompt: '## Task\nList the endpoints', events: [{ type: 'init' }, { type: 'tool_use', name: 'Bash' }, { type: 'tool_result' }], result: { result: 'GET /users\nPOST /users' } });
  });

  it('cancels a pending job, and says so when a job already ended', async () => {
    expect((await cli(['jobs', 'cancel', ids.pending!])).stdout).toBe(`Cancelled job ${ids.pending}; its agent had not started.\n`);
    expect(store.get(ids.pending!).status).toBe('cancelled');
    expect((await cli(['jobs', 'show', ids.pending!])).stdout).toMatch(/status\s+cancelled\n/);
    const again = await cli(['cancel', ids.pending!, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ job_id: ids.pending, outcome: 'already_terminal', status: 'cancelled' });
  });

  it('follows a background job live with `jobs wait` and exits 0 when it succeeds', async () => {
    const started = await runBackground('Sleep a little');
    const waited = await cli(['jobs', 'wait', started]);
    expect(waited.stderr, waited.stderr).toBe('');
    expect(waited.code).toBe(0);
    expect(waited.stdout).toMatch(/^Waiting for job [0-9a-f]{32} \(api, (pending|running)\); Ctrl-C stops waiting, not the job\.\n/);
    expect(waited.stdout).toMatch(/\d\d:\d\d:\d\d\.\d{3} {2}turn 1 · Bash: sleep 0\.3\n/);
    expect(waited.stdout).toContain('\nslept\n');
    expect(waited.stdout).toContain(`✔ job ${started}: done · $0.02`);
  });

  it('exits 1 from `jobs wait` for a failed job, and when the wait times out', async () => {
    const failed = await cli(['jobs', 'wait', ids.failed!]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`✘ job ${ids.failed}: failed: timeout · $0.1`);
    expect(failed.stderr).toContain('The agent ran past 300 s.');
    const slow = await runBackground('Sleep longer', { FIXTURE_SLEEP_MS: '5000' });
    const timedOut = await cli(['jobs', 'wait', slow, '--timeout', '0']);
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toMatch(/is still (pending|running) after 0 s; it goes on/);
    expect((await cli(['jobs', 'cancel', slow])).stdout).toMatch(/Cancelled job .*; its agent (was stopped|had not started)\./);
  });

  it('deletes finished jobs with gc: job_retention_days by default, --days, --all', async () => {
    const byDefault = await cli(['jobs', 'gc']);
    expect(byDefault.stdout).toBe('Deleted 0 finished jobs older than 30 days; pending and running jobs are kept.\n');
    expect(JSON.parse((await cli(['gc', '--days', '1', '--json'])).stdout)).toEqual({ purged: 0, max_age_days: 1 });
    const zero = await cli(['jobs', 'gc', '--days', '0']);
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toContain('--days 0 would delete every finished job');
    expect(zero.stderr).toContain('--all');
    const before = store.count();
    expect(before).toBeGreaterThan(0);
    const all = await cli(['jobs', 'gc', '--all']);
    expect(all.stdout).toBe(`Deleted ${before} finished jobs; pending and running jobs are kept.\n`);
    expect((await cli(['jobs'])).stdout).toBe('No jobs yet. Every dispatch is recorded here.\n');
  });
});

describe('agent-dispatch costs', () => {
  it('shows spend per agent and per day, kept after gc, and today\'s budgets', async () => {
    const run = await cli(['costs']);
    expect(run.code).toBe(0);
    // Earlier tests may have added runs of api: read the expected totals from the ledger itself.
    const api = store.costsByAgent({ agent: 'api' })[0]!;
    const total = store.costsByAgent().reduce((sum, c) => sum + c.costUsd, 0);
    expect(run.stdout).toMatch(/^Spend the last 7 days \(since .*\)\nAGENT\s+RUNS\s+OK\s+FAILED\s+COST\s+IN\s+OUT\s+RUN TIME\n/);
    expect(run.stdout).toContain(`\napi    ${String(api.runs).padEnd(4)}  ${String(api.ok).padEnd(2)}  ${String(api.failed).padEnd(6)}  ${formatCost(api.costUsd)}`);
    expect(run.stdout).toMatch(/\nweb\s+1\s+0\s+1\s+\$0\.1 /);
    expect(run.stdout).toMatch(/Per day\nDAY\s+AGENT\s+RUNS\s+COST\n\d{4}-\d\d-\d\d\s+api/);
    expect(run.stdout).toContain(`Daily budgets today\n  all agents   ${formatCost(total)} of $5.00 · ${formatCost(5 - total)} left\n  api          ${formatCost(api.costUsd)} of $1.00`);

    const json = JSON.parse((await cli(['costs', '--agent', 'api', '--json', '--days', '30'])).stdout);
    expect(json).toMatchObject({ days: 30, agents: [{ agent: 'api', cost_usd: store.costsByAgent({ agent: 'api' })[0]!.costUsd }], by_day: [{ agent: 'api' }], budgets_today: [{ scope: 'all agents', cap_usd: 5 }, { scope: 'api', cap_usd: 1 }] });
    expect((await cli(['costs', '--agent', 'nobody'])).stdout).toContain('No runs the last 7 days');
  });
});

describe('short job ids', () => {
  const summaries = (idList: string[]) => ({ list: () => idList.map((id) => ({ id }) as JobSummary) });
  it.each([
    ['abcdef', ['abcdef' + '0'.repeat(26), '1'.repeat(32)], 'abcdef' + '0'.repeat(26)],
    ['ABCDEF12', ['abcdef12' + '0'.repeat(24)], 'abcdef12' + '0'.repeat(24)],
    ['f'.repeat(32), [], 'f'.repeat(32)],
  ])('resolves %s', (raw, known, expected) => {
    expect(resolveJobId(summaries(known), raw)).toBe(expected);
  });

  it.each([
    ['abcdef', ['abcdef' + '0'.repeat(26), 'abcdef' + '1'.repeat(26)], /2 jobs start with abcdef/],
    ['abcde', [], /"abcde" is too short to pick a job: .* a unique prefix of 6 or more/],
    ['abcdef', [], /No job id starts with abcdef/],
  ])('refuses %s with a clear error', (raw, known, message) => {
    expect(() => resolveJobId(summaries(known), raw)).toThrow(message);
  });
});

// Start a background job as `dispatch_async` does (a detached `agent-dispatch __job-runner`); returns its id.
async function runBackground(task: string, extra: Record<string, string> = {}): Promise<string> {
  const { createServices } = await import('../../src/cli/services.js');
  const services = createServices({ env: { ...env, ...extra }, cwd: dir, stdout: { write: () => true }, stderr: { write: () => true }, selfCommand: [process.execPath, AGENT_DISPATCH_BIN] });
  try {
    return (await services.dispatcher.start({ agent: 'api', task })).id;
  } finally {
    services.close();
  }
}
