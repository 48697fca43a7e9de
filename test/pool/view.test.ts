// One history of the pool from any host with the queue configured: a job's timeline kept in Redis, `jobs show`
// from another machine, and `agent-dispatch web` (the real command) listing pool jobs with their host, showing the
// timeline and the spend per host, and updating live from pool events. A private redis-server, a real worker
// process running the real Claude Code CLI against the stand-in model.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { registerWeb } from '../../src/cli/commands/web.js';
import type { CliContext } from '../../src/cli/context.js';
import { configSchema } from '../../src/config/schema.js';
import { appendHistory, readHistory } from '../../src/pool/history.js';
import { createPoolDispatcher, openRedis, type PoolDispatcher } from '../../src/pool/index.js';
import { parseQueueUrl } from '../../src/shared/queue-url.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { CLAUDE_BIN, createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt } from '../support/product.js';
import { HAVE_REDIS, startRedis, startWorker, stopWorker, type TestRedis, type TestWorker } from './support.js';

let redis: TestRedis;
let bb: Backbone;
let worker: TestWorker;
let caller: PoolDispatcher;
let tmp: string;

// Read server-sent events from a response into a list as they arrive.
function collectEvents(body: ReadableStream<Uint8Array>) {
  const events: { event: string; data: string }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
        events.push({ event, data });
      }
    }
  })().catch(() => {});
  return events;
}

describe.skipIf(!HAVE_REDIS)('the pool seen from any host', () => {
  beforeAll(async () => {
    assertBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'ad-poolview-'));
    redis = await startRedis();
    bb = await createBackbone({
      rules: [{ match: 'VIEW_SLOW', reply: text('too late', { delayMs: 60_000 }) }, { match: 'VIEW_Q', reply: [toolUse('Bash', { command: 'echo from-the-worker' }, { text: 'Running a command.', delayMs: 700 }), text('VIEW_ANSWER from the pool', { delayMs: 700 })] }],
    });
    worker = await startWorker(redis, { host: 'view-host', agents: { viewer: {} }, env: { ...(bb.env() as Record<string, string>), AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN } });
    caller = await createPoolDispatcher({ endpoint: parseQueueUrl(redis.url), config: () => configSchema.parse({ settings: { queue: redis.url } }) });
  }, 60_000);

  afterAll(async () => {
    if (worker) await stopWorker(worker, 'SIGKILL');
    await caller?.close();
    await redis?.stop();
    bb?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps a bounded timeline per job: the first event, the newest ones, and how many were dropped between', async () => {
    const conn = await openRedis(parseQueueUrl(redis.url));
    try {
      const id = 'f'.repeat(32);
      const events = Array.from({ length: 8 }, (_, i) => ({ at: 1000 + i, event: { type: 'text' as const, text: `event ${i}` } }));
      await appendHistory(conn, id, events.slice(0, 3), 60, 5);
      await appendHistory(conn, id, events.slice(3), 60, 5);
      const { events: kept, dropped } = await readHistory(conn, id);
      expect(kept.map((e) => e.seq)).toEqual([1, 5, 6, 7, 8]);
      expect(kept.map((e) => (e.event as { text: string }).text)).toEqual(['event 0', 'event 4', 'event 5', 'event 6', 'event 7']);
      expect(dropped).toBe(3);
      expect((await readHistory(conn, id, { after: 6 })).events.map((e) => e.seq)).toEqual([7, 8]);
      expect(await conn.ttl(`ad:jev:${id}`)).toBeGreaterThan(0);
    } finally {
      await conn.quit();
    }
  });

  it('shows pool jobs with their host, timeline and spend on the dashboard of another host, live, and in jobs show', async () => {
    // Another machine: only the queue in its config, no agents, its own state.
    const home = join(tmp, 'viewer');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'agents.yaml'), stringify({ settings: { queue: redis.url } }));
    const env = { HOME: home, XDG_STATE_HOME: join(home, 'state'), AGENT_DISPATCH_CONFIG: join(home, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(home, 'state'), AGENT_DISPATCH_LOG_LEVEL: 'error' };
    const out: string[] = [];
    const controller = new AbortController();
    const ctx: CliContext = { env, cwd: home, stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => {} }, signal: controller.signal };
    const done = buildProgram(ctx, [registerWeb]).parseAsync(['web', '--port', '0'], { from: 'user' });
    try {
      await expect.poll(() => out.join(''), { timeout: 15_000 }).toContain('Dashboard: ');
      const url = /Dashboard: (\S+)/.exec(out.join(''))![1]!;
      // The guard is unchanged: no session, no page.
      const anonymous = await fetch(new URL('/', url), { redirect: 'manual' });
      expect(anonymous.status).not.toBe(200);
      const signIn = await fetch(url, { redirect: 'manual' });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const get = async (path: string) => {
        const res = await fetch(new URL(path, url), { headers: { cookie } });
        expect(res.status, path).toBe(200);
        return res.text();
      };
      expect(await get('/')).toContain('No jobs yet');

      // Watch the jobs list live, then start a job on the pool from this process (a third "host").
      const stream = new AbortController();
      const live = await fetch(new URL('/events', url), { headers: { cookie, accept: 'text/event-stream' }, signal: stream.signal });
      const events = collectEvents(live.body!);
      await expect.poll(() => events.some((e) => e.event === 'ready')).toBe(true);
      const job = await caller.start({ agent: 'viewer', task: 'VIEW_Q: what does the command print?', caller: 'view-test' });
      const rowsOf = () => events.filter((e) => e.event === 'rows').flatMap((e) => (JSON.parse(e.data) as { rows: { id: string; html: string | null }[] }).rows).filter((r) => r.id === job.id);
      await expect.poll(() => rowsOf().some((r) => r.html?.includes('data-status="running"') && r.html.includes('view-host')), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => rowsOf().some((r) => r.html?.includes('data-status="done"')), { timeout: 30_000 }).toBe(true);
      stream.abort();

      // The list: a Host column with the worker's host.
      const list = await get('/');
      expect(list).toContain('<th>Host</th>');
      expect(list).toMatch(new RegExp(`id="job-${job.id}"[\\s\\S]*<td class="host">view-host</td>`));
      // The job page: its host and the timeline the worker saw.
      const page = await get(`/jobs/${job.id}`);
      expect(page).toContain('<div class="k">Host</div><div class="v">view-host</div>');
      expect(page).toContain('<span class="kind">Bash</span>');
      expect(page).toContain('from-the-worker');
      expect(page).toContain('VIEW_ANSWER from the pool');
      expect(await get(`/jobs/${job.id}/live`)).toContain('class="timeline"');
      // Costs: the pool's spend, per host too; agents: the pool's runs.
      const costs = await get('/costs');
      expect(costs).toContain('<h2>Per host</h2>');
      expect(costs).toMatch(/<td>view-host<\/td><td class="num">\$[\d.]+<\/td><td class="num">1<\/td>/);
      // Agents: those the pool's live workers serve, with their hosts and the pool's runs.
      const agents = await get('/agents');
      expect(agents).toMatch(/id="agent-viewer"[\s\S]*on view-host[\s\S]*<span class="dot ok"><\/span>ok/);
      expect(list).toContain('<option>viewer</option>'); // the agent filter offers the pool's agents

      // jobs show from that machine: the host and the same timeline, as JSON and as text.
      const cli = (args: string[]) => spawnSync(process.execPath, [AGENT_DISPATCH_BIN, ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
      const shown = cli(['jobs', 'show', job.id.slice(0, 8), '--json']);
      expect(shown.status, shown.stderr).toBe(0);
      const json = JSON.parse(shown.stdout) as { host: string; events: { type: string; name?: string }[] };
      expect(json.host).toBe('view-host');
      expect(json.events.map((e) => e.type)).toEqual(expect.arrayContaining(['init', 'tool_use', 'tool_result', 'result']));
      expect(json.events.find((e) => e.type === 'tool_use')).toMatchObject({ name: 'Bash' });
      const textOut = cli(['jobs', 'show', job.id.slice(0, 8)]).stdout;
      expect(textOut).toContain('view-host');
      expect(textOut).toContain('Bash');

      // A second job: its page follows it live, and `jobs wait` there prints its progress lines on the way.
      const second = await caller.start({ agent: 'viewer', task: 'VIEW_Q: once more' });
      const livePath = /data-live="([^"]+)"/.exec(await get(`/jobs/${second.id}`))![1]!.replaceAll('&amp;', '&');
      expect(livePath).toContain(`job=${second.id}`);
      const jobStream = new AbortController();
      const jobEvents = collectEvents((await fetch(new URL(livePath, url), { headers: { cookie }, signal: jobStream.signal })).body!);
      // Not spawnSync: the stand-in model answers from this process's event loop.
      const waiter = spawn(process.execPath, [AGENT_DISPATCH_BIN, 'jobs', 'wait', second.id], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let waited = '';
      waiter.stdout.on('data', (d: Buffer) => (waited += d.toString()));
      expect(await new Promise((resolve) => waiter.once('exit', resolve))).toBe(0);
      expect(waited).toMatch(/Bash.*echo from-the-worker/);
      expect(waited).toContain('VIEW_ANSWER from the pool');
      await expect.poll(() => jobEvents.some((e) => e.event === 'job' && e.data.includes('"done"')), { timeout: 10_000 }).toBe(true);
      jobStream.abort();

      // Cancel from the dashboard stops a pool job on its host; the CSRF check is the same as in local mode.
      const slow = await caller.start({ agent: 'viewer', task: 'VIEW_SLOW: take your time' });
      await expect.poll(async () => (await caller.status(slow.id)).status, { timeout: 20_000 }).toBe('running');
      const origin = new URL(url).origin;
      const post = (headers: Record<string, string>) => fetch(new URL(`/jobs/${slow.id}/cancel`, url), { method: 'POST', headers: { cookie, accept: 'application/json', ...headers } });
      expect((await post({})).status).toBe(403);
      const cancelled = (await (await post({ origin })).json()) as { outcome: string };
      expect(['cancelled_running', 'cancel_requested']).toContain(cancelled.outcome);
      await expect.poll(async () => (await caller.status(slow.id)).status, { timeout: 10_000 }).toBe('cancelled');
    } finally {
      controller.abort();
      await done;
    }
  }, 120_000);
});
