// Every dashboard page, and the live feed, with hostile text in every field an agent, a caller or a config can
// fill: agent names, callers, goals, context, tasks, results, errors, tool names, tool inputs and outputs,
// permission denials, directories, descriptions, budgets. Nothing may come out as markup.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatchService } from '../../src/jobs/service.js';
import { emptyConfig } from '../../src/config/schema.js';
import { createRunner } from '../../src/runner/index.js';
import { createApp } from '../../src/web/app.js';
import type { AgentInfo } from '../../src/web/deps.js';
import { runResult } from '../jobs/support/store.js';
import { PORT, readUntil, send, testStore, TOKEN } from './support.js';

// Payloads for element content, double- and single-quoted attributes, and URLs.
const P = {
  script: '<script>alert("s")</script>',
  img: '"><img src=x onerror=alert(1)>',
  quote: "' onmouseover='alert(2)' x='",
  close: '</pre></code></td></textarea><svg onload=alert(3)>',
  url: 'javascript:alert(4)',
};
const ALL = Object.values(P).join(' ');
// What must never appear in a response: each payload's markup-making part, unescaped.
const FORBIDDEN = ['<script>alert', '<img src=x', "' onmouseover='", '<svg onload', 'href="javascript:'];

const HOSTILE_AGENT = `beta${P.img}`;

let env: ReturnType<typeof testStore>;
let ids: { done: string; failed: string; running: string };
beforeEach(() => {
  env = testStore();
  const s = env.store;
  const request = { agent: HOSTILE_AGENT, task: `task ${ALL}`, caller: `caller ${ALL}`, goal: `goal ${ALL}`, context: `context ${ALL}` };
  const done = s.create({ kind: 'sync', request, prompt: `## Goal\n${ALL}\n\n## Task\n${ALL}` });
  s.markRunning(done.id);
  s.saveProgress(done.id, { turns: 2, lastTool: `Bash${P.script}`, tail: [`Bash ${ALL}`], updatedAt: Date.now(), costUsd: 0.1 }, [
    { type: 'init', sessionId: `s${P.img}`, model: `model ${P.script}`, tools: [`Tool${P.quote}`], mcpServers: [{ name: `mcp${P.img}`, status: P.script }] },
    { type: 'text', text: `thinking ${ALL}` },
    { type: 'tool_use', id: 't1', name: `Bash${P.img}`, input: { command: `echo ${ALL}`, [`key${P.script}`]: P.url, file_path: P.url } },
    { type: 'tool_result', toolUseId: 't1', isError: false, content: `output ${ALL}` },
    { type: 'tool_result', toolUseId: 't1', isError: true, content: `error ${ALL}` },
    { type: 'result', ok: true, text: `result ${ALL}`, costUsd: 0.25, numTurns: 2 },
  ]);
  s.finish(done.id, {
    status: 'done',
    result: runResult({
      agent: HOSTILE_AGENT,
      text: `answer ${ALL}`,
      sessionId: `sess${P.quote}`,
      permissionDenials: [{ toolName: `Write${P.img}`, toolUseId: 'x', toolInput: { file_path: P.script } }],
    }),
  });
  const failed = s.create({ kind: 'async', request: { ...request, agent: 'alpha' } });
  s.markRunning(failed.id);
  s.finish(failed.id, { status: 'failed', result: runResult({ ok: false, agent: 'alpha', text: ALL, error: { type: 'timeout', message: `message ${ALL}`, hint: `hint ${ALL}` } as never, stderrTail: `stderr ${ALL}` }) });
  const running = s.create({ kind: 'async', request });
  s.markRunning(running.id);
  ids = { done: done.id, failed: failed.id, running: running.id };
});
afterEach(() => env.cleanup());

const AGENTS: AgentInfo[] = [
  { name: HOSTILE_AGENT, directory: `/p/${ALL}`, description: `desc ${ALL}`, runtime: `rt${P.img}`, healthy: false, problem: `problem ${ALL}` },
  { name: 'alpha', directory: '/p/alpha', description: P.script, healthy: true },
];

const app = () =>
  createApp({
    store: env.store,
    dispatcher: createDispatchService({ config: () => emptyConfig(), runner: () => createRunner(), store: env.store }),
    agents: () => AGENTS,
    budgets: () => ({ daily: 1, agents: { [HOSTILE_AGENT]: 0.5 } }),
    token: TOKEN,
    port: () => PORT,
  });

function expectInert(body: string, where: string) {
  for (const bad of FORBIDDEN) expect(body, `${where} contains ${bad}`).not.toContain(bad);
}

describe('hostile text on every page', () => {
  it.each([
    ['the jobs page', () => '/'],
    ['the jobs page filtered by the hostile agent and caller', () => `/?agent=${encodeURIComponent(HOSTILE_AGENT)}&caller=${encodeURIComponent(`caller ${ALL}`)}&state=${encodeURIComponent(P.img)}`],
    ['a done job', () => `/jobs/${ids.done}`],
    ['a failed job', () => `/jobs/${ids.failed}`],
    ['a running job', () => `/jobs/${ids.running}`],
    ['a job with a hostile cancel outcome', () => `/jobs/${ids.done}?cancel=${encodeURIComponent(P.img)}`],
    ['the live part of a job', () => `/jobs/${ids.done}/live`],
    ['the agents page', () => '/agents'],
    ['the costs page', () => '/costs'],
    ['the costs page with hostile days', () => `/costs?days=${encodeURIComponent(P.script)}`],
    ['the not-found page', () => `/${encodeURIComponent(P.script)}`],
    ['an unknown job', () => `/jobs/${encodeURIComponent(P.img)}`],
  ])('escapes everything on %s', async (name, path) => {
    const response = await send(app(), path());
    expect([200, 400, 404], name).toContain(response.status);
    const body = await response.text();
    expectInert(body, name);
    if (response.status === 200 && name.includes('job')) expect(body).toContain('&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;');
  });

  it('escapes the rows the live feed sends', async () => {
    const controller = new AbortController();
    const response = await send(app(), `/events?since=${env.store.currentSeq()}`, { signal: controller.signal });
    const reading = readUntil(response, (t) => t.includes('event: rows'));
    await new Promise((r) => setTimeout(r, 20));
    env.store.finish(ids.running, { status: 'done', result: runResult({ agent: HOSTILE_AGENT, text: ALL }) });
    const text = await reading;
    controller.abort();
    // The rows travel as HTML inside JSON: look at every string in the data.
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
    const html = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .flatMap((l) => strings(JSON.parse(l.slice(6))));
    expect(html.join('')).toContain('badge done');
    for (const piece of html) expectInert(piece, 'the live feed');
    expect(text).toContain(`job-${ids.running}`);
  });
});
