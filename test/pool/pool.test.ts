// The worker pool with real parts: a private redis-server (AOF, password) and `agent-dispatch worker` processes
// with their own HOMEs and agent directories standing for hosts; the calling side in process. The agent is the
// sleeping fixture (start/end lines with wall-clock times), and one path runs the real Claude Code CLI.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createPoolDispatcher, type PoolDispatcher } from '../../src/pool/index.js';
import { openRedis } from '../../src/pool/connect.js';
import { setPoolCap } from '../../src/pool/slots.js';
import { parseQueueUrl } from '../../src/shared/queue-url.js';
import { isAlive } from '../e2e/procs.js';
import { text } from '../support/fake-anthropic.js';
import { CLAUDE_BIN, createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt } from '../support/product.js';
import { fixtureLog, HAVE_REDIS, maxOverlap, startRedis, startWorker, stopWorker, type TestRedis, type TestWorker } from './support.js';

const started: TestWorker[] = [];
let redis: TestRedis;
let caller: PoolDispatcher;
let tmp: string;

const callerConfig = (url: string): Config => configSchema.parse({ settings: { queue: url, pool_failover_seconds: 4 } });
const host = async (spec: Parameters<typeof startWorker>[1]) => {
  const w = await startWorker(redis, spec);
  started.push(w);
  return w;
};
const until = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!HAVE_REDIS)('worker pool on Redis', () => {
  beforeAll(async () => {
    assertBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'ad-pool-'));
    redis = await startRedis();
    caller = await createPoolDispatcher({ endpoint: parseQueueUrl(redis.url), config: () => callerConfig(redis.url) });
  }, 30_000);

  afterAll(async () => {
    await Promise.all(started.map((w) => stopWorker(w, 'SIGKILL')));
    await caller?.close();
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('routes each job to a worker that serves its agent, skips a missing directory, and lists agents with hosts', async () => {
    const a = await host({ host: 'host-a', agents: { api: {}, gone: { directory: join(tmp, 'nowhere') } }, env: { FIXTURE_SLEEP_MS: '50' } });
    const b = await host({ host: 'host-b', agents: { web: {} }, env: { FIXTURE_SLEEP_MS: '50' } });
    expect(a.lines.find((l) => l.type === 'skipped')).toMatchObject({ agent: 'gone', reason: expect.stringContaining('does not exist') });
    const runs = await Promise.all(['api', 'web', 'api', 'web', 'api', 'web'].map((agent) => caller.dispatch({ agent, task: `job for ${agent}` })));
    for (const outcome of runs) expect(outcome.result).toMatchObject({ ok: true, text: 'slept' });
    const jobs = await Promise.all(runs.map((r) => caller.status(r.jobId)));
    expect(jobs.map((j) => `${j.agent}@${j.host}`)).toEqual(['api@host-a', 'web@host-b', 'api@host-a', 'web@host-b', 'api@host-a', 'web@host-b']);
    expect(b.lines.filter((l) => l.type === 'job_started').every((l) => l.agent === 'web')).toBe(true);
    expect(await caller.agents()).toEqual(expect.arrayContaining([{ name: 'api', description: '', hosts: ['host-a'], workers: 1 }, { name: 'web', description: '', hosts: ['host-b'], workers: 1 }]));
    const listed = await caller.jobs({ limit: 10, agent: 'web' });
    expect(listed).toHaveLength(3);
    expect(listed.every((j) => j.host === 'host-b' && j.status === 'done')).toBe(true);
    await stopWorker(a);
    await stopWorker(b);
  }, 60_000);

  it('fails at once with not_found when no live worker serves the agent, naming the hosts seen serving it', async () => {
    await expect(caller.dispatch({ agent: 'ghost', task: 'x' })).rejects.toMatchObject({ code: 'AGENT_NOT_FOUND', hint: expect.stringContaining('has ever served it') });
    // host-b served web in the test above and has stopped since.
    await expect(caller.dispatch({ agent: 'web', task: 'x' })).rejects.toMatchObject({ code: 'AGENT_NOT_FOUND', hint: expect.stringContaining('host-b') });
  });

  it('holds the pool-wide cap across three workers', async () => {
    const log = join(tmp, 'cap.log');
    const env = { FIXTURE_SLEEP_MS: '400', FIXTURE_LOG: log };
    const workers = await Promise.all(['c1', 'c2', 'c3'].map((h) => host({ host: h, agents: { crunch: {} }, settings: { max_concurrency: 3, pool_max_concurrency: 2 }, env })));
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => caller.dispatch({ agent: 'crunch', task: `n${i}` })));
    expect(runs.every((r) => r.result.ok)).toBe(true);
    const entries = fixtureLog(log);
    expect(entries.filter((e) => e.what === 'start')).toHaveLength(8);
    expect(maxOverlap(entries)).toBeLessThanOrEqual(2);
    await Promise.all(workers.map((w) => stopWorker(w)));
  }, 90_000);

  it('holds a pool-wide cap set after the workers found none (they took slots alongside fetching)', async () => {
    const admin = await openRedis(parseQueueUrl(redis.url));
    try {
      await setPoolCap(admin, undefined);
      const log = join(tmp, 'late-cap.log');
      const env = { FIXTURE_SLEEP_MS: '300', FIXTURE_LOG: log };
      const workers = await Promise.all(['d1', 'd2'].map((h) => host({ host: h, agents: { tally: {} }, settings: { max_concurrency: 3 }, env })));
      // With no cap set, a worker's next fetch takes its slot at the same time (from its first slot on).
      await Promise.all(Array.from({ length: 4 }, (_, i) => caller.dispatch({ agent: 'tally', task: `warm ${i}` })));
      await setPoolCap(admin, 1);
      const before = fixtureLog(log).length;
      const runs = await Promise.all(Array.from({ length: 5 }, (_, i) => caller.dispatch({ agent: 'tally', task: `n${i}` })));
      expect(runs.every((r) => r.result.ok)).toBe(true);
      const entries = fixtureLog(log).slice(before);
      expect(entries.filter((e) => e.what === 'start')).toHaveLength(5);
      expect(maxOverlap(entries)).toBe(1);
      await Promise.all(workers.map((w) => stopWorker(w)));
    } finally {
      await setPoolCap(admin, 2); // as the test before left it
      admin.disconnect();
    }
  }, 90_000);

  it('fails the job of a SIGKILLed worker naming its host, and its agent dies with it', async () => {
    const log = join(tmp, 'kill.log');
    const w = await host({ host: 'doomed', agents: { slow: {} }, env: { FIXTURE_SLEEP_MS: '60000', FIXTURE_LOG: log } });
    const pending = caller.dispatch({ agent: 'slow', task: 'long' });
    await w.until('job_started');
    await until(() => fixtureLog(log).some((e) => e.what === 'start'));
    const agentPid = fixtureLog(log)[0]!.pid;
    w.proc.kill('SIGKILL');
    const outcome = await pending;
    expect(outcome.result.ok).toBe(false);
    expect(outcome.result.error?.message).toMatch(/worker doomed \(pid \d+\) stopped/);
    expect((await caller.status(outcome.jobId)).status).toBe('failed');
    await until(() => !isAlive(agentPid));
  }, 60_000);

  it('cancels a running job from another process and kills the agent', async () => {
    const log = join(tmp, 'cancel.log');
    const w = await host({ host: 'host-c', agents: { slow2: {} }, env: { FIXTURE_SLEEP_MS: '60000', FIXTURE_LOG: log } });
    const job = await caller.start({ agent: 'slow2', task: 'to be cancelled' });
    await w.until('job_started');
    await until(() => fixtureLog(log).some((e) => e.what === 'start'));
    const agentPid = fixtureLog(log)[0]!.pid;
    const cli = spawnSync(process.execPath, [AGENT_DISPATCH_BIN, 'jobs', 'cancel', job.id, '--json'], {
      env: { PATH: process.env.PATH, HOME: join(tmp, 'home'), AGENT_DISPATCH_QUEUE: redis.url, AGENT_DISPATCH_CONFIG: join(tmp, 'none.yaml'), AGENT_DISPATCH_STATE_DIR: join(tmp, 'state') },
      encoding: 'utf8',
    });
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toMatchObject({ job_id: job.id, outcome: 'cancelled_running', status: 'cancelled' });
    await until(() => !isAlive(agentPid));
    expect(cli.stdout + cli.stderr).not.toContain(redis.password);
    await stopWorker(w);
  }, 60_000);

  it('loses no job when Redis is killed and restarted mid-job (AOF)', async () => {
    const log = join(tmp, 'restart.log');
    const w = await host({ host: 'host-d', agents: { steady: {} }, settings: { pool_failover_seconds: 20 }, env: { FIXTURE_SLEEP_MS: '2500', FIXTURE_LOG: log } });
    const job = await caller.start({ agent: 'steady', task: 'survive' });
    await w.until('job_started');
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    const { job: done, timedOut } = await caller.wait(job.id, 30_000);
    expect(timedOut).toBe(false);
    expect(done).toMatchObject({ status: 'done', host: 'host-d', result: expect.objectContaining({ ok: true }) });
    expect(fixtureLog(log).filter((e) => e.what === 'start')).toHaveLength(1);
    await stopWorker(w);
  }, 60_000);

  it('shows live workers in doctor and the pool agents with their hosts in list; a wrong password is a clear error', async () => {
    const w = await host({ host: 'host-e', agents: { docs: { description: 'Writes the docs' } } });
    const env = { PATH: process.env.PATH, HOME: join(tmp, 'home'), AGENT_DISPATCH_QUEUE: redis.url, AGENT_DISPATCH_CONFIG: join(tmp, 'none.yaml'), AGENT_DISPATCH_STATE_DIR: join(tmp, 'state') };
    const cli = (args: string[], extra: Record<string, string> = {}) => spawnSync(process.execPath, [AGENT_DISPATCH_BIN, ...args], { env: { ...env, ...extra }, encoding: 'utf8' });
    const doctor = JSON.parse(cli(['doctor', '--offline', '--json']).stdout) as { checks: { id: string; status: string; message: string }[] };
    const checks = Object.fromEntries(doctor.checks.filter((c) => c.id.startsWith('queue')).map((c) => [c.id, c]));
    expect(checks.queue).toMatchObject({ status: 'ok', message: expect.stringMatching(/^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(from AGENT_DISPATCH_QUEUE\) answers \(Redis \d/) });
    expect(checks['queue.workers']).toMatchObject({ status: 'ok', message: expect.stringContaining('host-e') });
    const listed = JSON.parse(cli(['list', '--json']).stdout) as Record<string, unknown>[];
    expect(listed).toContainEqual({ name: 'docs', served: true, hosts: ['host-e'], workers: 1, description: 'Writes the docs' });
    const wrong = cli(['doctor', '--offline', '--json'], { AGENT_DISPATCH_QUEUE: `redis://:nope@127.0.0.1:${redis.port}` });
    const failed = (JSON.parse(wrong.stdout) as typeof doctor).checks.find((c) => c.id === 'queue');
    expect(failed).toMatchObject({ status: 'fail', message: expect.stringContaining('refused the credentials') });
    for (const out of [wrong.stdout, wrong.stderr, JSON.stringify(doctor), JSON.stringify(listed)]) expect(out).not.toContain(redis.password);
    await stopWorker(w);
  }, 60_000);

  it('resumes a session on the host that ran it, even when another host serves the agent', async () => {
    const hosts = await Promise.all(['s1', 's2'].map((h) => host({ host: h, agents: { chat: {} }, env: { FIXTURE_SLEEP_MS: '20' } })));
    const first = await caller.dispatch({ agent: 'chat', task: 'start' });
    const sessionId = first.result.sessionId!;
    expect(sessionId).toBeTruthy();
    const origin = (await caller.status(first.jobId)).host;
    const follow = await Promise.all(Array.from({ length: 4 }, (_, i) => caller.dispatch({ agent: 'chat', task: `more ${i}`, sessionId })));
    const ran = await Promise.all(follow.map((f) => caller.status(f.jobId)));
    expect(ran.map((j) => j.host)).toEqual([origin, origin, origin, origin]);
    await expect(caller.dispatch({ agent: 'chat', task: 'x', sessionId: '11111111-1111-4111-8111-111111111111' })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await Promise.all(hosts.map((w) => stopWorker(w)));
  }, 60_000);

  it('on SIGTERM lets a running job finish within the grace, then hands it back for another worker', async () => {
    const first = await host({ host: 'leaving', agents: { handoff: {} }, settings: { pool_grace_seconds: 1 }, env: { FIXTURE_SLEEP_MS: '60000' } });
    const job = await caller.start({ agent: 'handoff', task: 'outlive my worker' });
    await first.until('job_started');
    await stopWorker(first);
    expect(first.lines.map((l) => l.type)).toEqual(expect.arrayContaining(['stopping', 'job_handed_back', 'stopped']));
    expect((await caller.status(job.id)).status).toBe('pending');
    await host({ host: 'arriving', agents: { handoff: {} }, env: { FIXTURE_SLEEP_MS: '20' } });
    const { job: done } = await caller.wait(job.id, 30_000);
    expect(done).toMatchObject({ status: 'done', host: 'arriving' });
  }, 60_000);

  it('counts spend from every host against the daily budget (the caller refuses, and so does a worker), and costs, jobs and jobs show read that history with hosts', async () => {
    const settings = { daily_budget_usd: 1 };
    const a = await host({ host: 'pay-a', agents: { spender: {} }, settings, env: { FIXTURE_SLEEP_MS: '20', FIXTURE_COST: '0.6' } });
    const b = await host({ host: 'pay-b', agents: { saver: {} }, settings, env: { FIXTURE_SLEEP_MS: '20', FIXTURE_COST: '0.01' } });
    const capped = await createPoolDispatcher({ endpoint: parseQueueUrl(redis.url), config: () => configSchema.parse({ settings: { queue: redis.url, ...settings } }) });
    try {
      // $0.60 then $1.20 spent on pay-a: the second run still started under the cap.
      for (let i = 0; i < 2; i++) expect((await capped.dispatch({ agent: 'spender', task: `spend ${i}` })).result).toMatchObject({ ok: true, costUsd: 0.6 });
      // The caller reads the pool's ledger: a dispatch to pay-b's agent is refused before it is queued, and recorded.
      const refused = await capped.dispatch({ agent: 'saver', task: 'refused by the caller' });
      expect(refused.result).toMatchObject({ ok: false, error: { type: 'budget', message: expect.stringContaining('$1.20 spent today of a $1.00 cap') } });
      expect(await capped.status(refused.jobId)).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('Daily budget reached') });
      await expect(capped.start({ agent: 'saver', task: 'x' })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
      // A caller without a cap queues it; the worker on pay-b re-checks against the ledger and never starts the agent.
      const late = await caller.dispatch({ agent: 'saver', task: 'refused by the worker' });
      expect(late.result).toMatchObject({ ok: false, error: { type: 'budget' } });
      expect(b.lines.some((l) => l.type === 'job_started')).toBe(false);
      expect(a.lines.filter((l) => l.type === 'job_started')).toHaveLength(2);

      // One history from a machine with only the queue: costs (every host's spend, per host), jobs and jobs show.
      const config = join(tmp, 'pay-caller.yaml');
      writeFileSync(config, stringify({ settings: { queue: redis.url, daily_budget_usd: 1 } }));
      const env = { PATH: process.env.PATH, HOME: join(tmp, 'home'), AGENT_DISPATCH_CONFIG: config, AGENT_DISPATCH_STATE_DIR: join(tmp, 'pay-state') };
      const cli = (args: string[]) => spawnSync(process.execPath, [AGENT_DISPATCH_BIN, ...args], { env, encoding: 'utf8' });
      const costs = JSON.parse(cli(['costs', '--days', '1', '--json']).stdout) as Record<string, { agent?: string; host?: string; runs?: number; cost_usd?: number; spent_usd?: number }[]>;
      expect(costs.agents).toContainEqual(expect.objectContaining({ agent: 'spender', runs: 2, ok: 2, cost_usd: 1.2 }));
      expect(costs.agents!.some((r) => r.agent === 'saver')).toBe(false); // refused: no agent ran
      expect(costs.by_host).toContainEqual(expect.objectContaining({ host: 'pay-a', runs: 2, cost_usd: 1.2 }));
      expect(costs.budgets_today).toEqual([{ scope: 'all agents', spent_usd: 1.2, cap_usd: 1 }]);
      const listed = JSON.parse(cli(['jobs', '--agent', 'spender', '--json']).stdout) as { job_id: string; host: string }[];
      expect(listed.map((j) => j.host)).toEqual(['pay-a', 'pay-a']);
      const table = cli(['jobs', '--agent', 'spender']).stdout;
      expect(table).toMatch(/HOST/);
      expect(table).toContain('pay-a');
      const shown = JSON.parse(cli(['jobs', 'show', listed[0]!.job_id.slice(0, 8), '--json']).stdout) as { job_id: string; host: string };
      expect(shown).toMatchObject({ job_id: listed[0]!.job_id, host: 'pay-a' });
      const short = cli(['jobs', 'show', 'abc', '--json']);
      expect(short.status).not.toBe(0);
      expect(short.stderr).toContain('too short to pick a job');
    } finally {
      await capped.close();
      await stopWorker(a);
      await stopWorker(b);
    }
  }, 60_000);

  describe('with the real Claude Code CLI', () => {
    let bb: Backbone;
    beforeAll(async () => {
      bb = await createBackbone({ rules: [{ match: 'POOL_Q', reply: text('POOL_ANSWER from the worker') }] });
    });
    afterAll(() => bb?.cleanup());

    it('runs a dispatch on a worker and returns the same shape as a local dispatch', async () => {
      const w = await host({ host: 'host-real', agents: { real: {} }, env: { ...(bb.env() as Record<string, string>), AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN } });
      const pool = await caller.dispatch({ agent: 'real', task: 'POOL_Q: who answers?' });
      expect(pool.result).toMatchObject({ ok: true, agent: 'real', runtime: 'claude', text: 'POOL_ANSWER from the worker' });
      expect((await caller.status(pool.jobId)).host).toBe('host-real');
      // The same agent run locally (no queue) through the CLI, and through the pool: the same fields come back.
      const localDir = join(tmp, 'local');
      mkdirSync(localDir, { recursive: true });
      writeFileSync(join(tmp, 'local.yaml'), stringify({ agents: { real: { directory: join(w.root, 'real') } } }));
      const env = { ...(bb.env() as Record<string, string>), AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN, AGENT_DISPATCH_CONFIG: join(tmp, 'local.yaml'), AGENT_DISPATCH_STATE_DIR: join(localDir, 'state') };
      // Not spawnSync: the stand-in model answers from this process's event loop.
      const run = async (extra: Record<string, string>) => {
        const child = spawn(process.execPath, [AGENT_DISPATCH_BIN, 'test', 'real', 'POOL_Q: and again?', '--json'], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const code = await new Promise((resolve) => child.once('exit', resolve));
        expect(code, err).toBe(0);
        return JSON.parse(out) as Record<string, unknown>;
      };
      const local = await run({});
      const pooled = await run({ AGENT_DISPATCH_QUEUE: redis.url });
      expect(pooled.result).toBe('POOL_ANSWER from the worker');
      expect(Object.keys(pooled).sort()).toEqual(Object.keys(local).sort());
      expect(pooled.job_id).not.toBe(local.job_id);
      await stopWorker(w);
    }, 90_000);
  });
});
