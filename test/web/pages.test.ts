// The pages, rendered in process from a real job store in a temp directory.
import { describe, expect, it } from 'vitest';
import { runResult } from '../jobs/support/store.js';
import { appFor, filledStorePerTest, send } from './support.js';

const { env, ids } = filledStorePerTest();

const text = async (path: string, app = appFor(env.store)) => {
  const response = await send(app, path);
  expect(response.status, path).toBe(200);
  return response.text();
};

describe('the jobs page', () => {
  it('lists every job newest first with its state, agent, caller and cost', async () => {
    const html = await text('/');
    const order = [ids.pending, ids.running, ids.failed, ids.done].map((id) => html.indexOf(`id="job-${id}"`));
    expect(order.every((n) => n > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('<span class="badge running">running</span>');
    expect(html).toContain('$0.25');
    expect(html).toContain('turn 1 · Read · Read src/parser.ts');
    expect(html).toMatch(/data-live="\/events\?since=\d+"/);
  });

  it('escapes what agents and callers wrote', async () => {
    const html = await text('/');
    expect(html).toContain('Deploy &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it.each([
    ['agent', '/?agent=beta', ['failed', 'pending'], ['done', 'running']],
    ['state', '/?state=running', ['running'], ['done', 'failed', 'pending']],
    ['caller', '/?caller=ops', ['done', 'running'], ['failed', 'pending']],
    ['agent and state', '/?agent=alpha&state=done', ['done'], ['failed', 'running', 'pending']],
  ] as const)('filters by %s', async (_, path, shown, hidden) => {
    const html = await text(path);
    for (const key of shown) expect(html, key).toContain(`id="job-${ids[key]}"`);
    for (const key of hidden) expect(html, key).not.toContain(`id="job-${ids[key]}"`);
  });

  it('keeps the filters in the live feed URL', async () => {
    expect(await text('/?agent=alpha&state=running&caller=ops')).toMatch(/data-live="\/events\?agent=alpha&amp;state=running&amp;caller=ops&amp;since=\d+"/);
  });

  it('reports a bad state or page and shows everything instead', async () => {
    const html = await text('/?state=exploded&page=-3');
    expect(html).toContain('Unknown state &quot;exploded&quot;');
    expect(html).toContain('is not a page number');
    expect(html).toContain(`id="job-${ids.done}"`);
  });

  it('pages through many jobs 50 at a time', async () => {
    for (let i = 0; i < 120; i += 1) {
      env.clock.now += 1;
      env.store.create({ kind: 'async', request: { agent: 'gamma', task: `task number ${i}` } });
    }
    const first = await text('/?agent=gamma');
    expect(first.match(/<tr id="job-/g)).toHaveLength(50);
    expect(first).toContain('task number 119');
    expect(first).toContain('page 1 of 3');
    expect(first).toContain('href="/?agent=gamma&amp;page=2"');
    const last = await text('/?agent=gamma&page=3');
    expect(last.match(/<tr id="job-/g)).toHaveLength(20);
    expect(last).toContain('task number 0<');
    expect(last).toContain('data-first-page="0"');
  });

  it('says when there are no jobs', async () => {
    expect(await text('/?agent=nobody')).toContain('No jobs match these filters');
  });
});

describe('the job page', () => {
  it('shows the prompt sections, the timeline with tool calls, the result, cost and duration', async () => {
    const html = await text(`/jobs/${ids.done}`);
    for (const section of ['Goal', 'Dispatched by', 'Context', 'Task']) expect(html).toContain(`<summary>${section}</summary>`);
    expect(html).toContain('<pre>Know the layout</pre>');
    expect(html).toContain('<span class="kind">Bash</span>');
    expect(html).toContain('<code>ls -la src</code>');
    expect(html).toContain('turn 1');
    expect(html).toContain('turn 2');
    expect(html).toContain('<pre class="result">There are two files.</pre>');
    expect(html).toContain('$0.25');
    expect(html).not.toContain('Cancel job');
    expect(html).not.toContain('data-live=');
  });

  it('offers cancel and follows a running job live', async () => {
    const html = await text(`/jobs/${ids.running}`);
    expect(html).toContain('Cancel job');
    expect(html).toContain(`action="/jobs/${ids.running}/cancel"`);
    expect(html).toMatch(new RegExp(`data-live="/events\\?job=${ids.running}&amp;since=\\d+"`));
    expect(html).toContain('<span class="kind">Read</span>');
  });

  it('shows why a job failed', async () => {
    expect(await text(`/jobs/${ids.failed}`)).toContain('timeout: The agent ran past 300 s.');
  });

  it('answers an unknown id with 404 and a malformed one with 400', async () => {
    const app = appFor(env.store);
    expect((await send(app, `/jobs/${'0'.repeat(32)}`)).status).toBe(404);
    const bad = await send(app, '/jobs/not-an-id');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Cannot show this');
  });

  it('renders the live part alone for the page script', async () => {
    const html = await text(`/jobs/${ids.running}/live`);
    expect(html.startsWith('<section id="job-live"')).toBe(true);
    expect(html).not.toContain('<html');
  });
});

describe('the agents page', () => {
  it('shows health, last runs, success rate and median duration', async () => {
    const html = await text('/agents');
    const alpha = html.slice(html.indexOf('id="agent-alpha"'), html.indexOf('id="agent-beta"'));
    expect(alpha).toContain('<span class="dot ok"></span>ok');
    expect(alpha).toContain('100 %');
    expect(alpha).toContain(`href="/jobs/${ids.running}"`);
    const beta = html.slice(html.indexOf('id="agent-beta"'));
    expect(beta).toContain('directory /p/beta does not exist');
    expect(beta).toContain('0 %');
  });

  it('lists an agent that ran but is no longer configured', async () => {
    const job = env.store.create({ kind: 'sync', request: { agent: 'retired', task: 'old' } });
    env.store.markRunning(job.id);
    env.store.finish(job.id, { status: 'done', result: runResult({ agent: 'retired' }) });
    expect(await text('/agents')).toContain('not configured');
  });
});

describe('the costs page', () => {
  it('draws spend per day and agent against the daily budget', async () => {
    const html = await text('/costs');
    expect(html).toContain('<svg class="chart"');
    expect(html).toMatch(/<rect [^>]*fill="#4263eb"><title>alpha · \d{4}-\d\d-\d\d: \$0\.2500<\/title>/);
    expect(html).toContain('class="budget"');
    expect(html).toContain('daily budget $1');
    expect(html).toContain('$0.25 of $0.50');
    expect(html).toContain('no daily budget');
  });

  it('puts yesterday in its own bar', async () => {
    env.clock.now -= 86_400_000;
    const old = env.store.create({ kind: 'sync', request: { agent: 'alpha', task: 'yesterday' } });
    env.store.markRunning(old.id);
    env.store.finish(old.id, { status: 'done', result: runResult({ agent: 'alpha', costUsd: 0.75 }) });
    env.clock.now += 86_400_000;
    const html = await text('/costs?days=7', appFor(env.store, { now: () => env.clock.now }));
    const totals = [...html.matchAll(/data-total="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(totals).toHaveLength(7);
    expect(totals.slice(-2)).toEqual([0.75, 0.3]);
  });

  it('falls back to 14 days for a period it does not offer', async () => {
    const html = await text('/costs?days=5');
    expect(html).toContain('Period &quot;5&quot; is not offered');
    expect([...html.matchAll(/data-total=/g)]).toHaveLength(14);
  });
});

describe('responses', () => {
  it('carry a strict content security policy and are not cached', async () => {
    const response = await send(appFor(env.store), '/');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('answers an unknown path with 404', async () => {
    expect((await send(appFor(env.store), '/nope')).status).toBe(404);
  });
});
