// Dashboard figures (issue 9) with 10,000 jobs in the store: server-side render time of the jobs page, paged
// (target ≤ 50 ms), and of the other pages; and the dashboard server's memory. Each has a baseline measured
// in the same run: the store reads a page needs (render floor), and a process that only opened the store
// (memory floor). Run `npm run build` first; `node bench/web-pages.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createJobStore } from '../dist/index.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz';
const PORT = 7788;
const N = 10_000;
const AGENTS = Array.from({ length: 7 }, (_, i) => ({ name: `agent-${i}`, directory: `/p/agent-${i}`, description: `Project ${i}`, healthy: i !== 6 }));
const EVENTS = [
  { type: 'init', sessionId: 's', model: 'claude-test', tools: ['Bash', 'Read', 'Edit'] },
  { type: 'text', text: 'Looking around first.' },
  { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } },
  { type: 'tool_result', toolUseId: 't1', isError: false, content: 'ok '.repeat(200) },
  { type: 'tool_use', id: 't2', name: 'Read', input: { file_path: 'src/index.ts' } },
  { type: 'tool_result', toolUseId: 't2', isError: false, content: 'export const x = 1;\n'.repeat(40) },
  { type: 'text', text: 'All tests pass.' },
];
const result = (agent, i) => ({
  ok: i % 9 !== 0, agent, runtime: 'claude', text: `Result ${i}: ${'the change is done. '.repeat(40)}`, costUsd: 0.002 + (i % 13) / 1000,
  usage: { inputTokens: 900, outputTokens: 120, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
  numTurns: 3, durationMs: 4200, permissionDenials: [], exitCode: 0, signal: null, stderrTail: '',
  ...(i % 9 === 0 ? { error: { type: 'cli_error', message: 'bench failure' } } : {}),
});

// Fill a store with N jobs over the last 14 days, through the store's own API (ledger and events included).
function fill(path) {
  let now = Date.now() - 14 * 86_400_000;
  const step = (14 * 86_400_000) / N;
  const store = createJobStore({ path, logger: quiet, now: () => now });
  let last;
  for (let i = 0; i < N; i += 1) {
    now += step;
    const agent = AGENTS[i % AGENTS.length].name;
    const job = store.create({ kind: 'async', request: { agent, task: `Task ${i}: ${'describe the change '.repeat(20)}`, caller: i % 3 ? 'ops' : 'ci' }, prompt: `## Dispatched by\nops\n\n## Task\nTask ${i}` });
    last = job.id;
    if (i % 500 === 0) continue; // a few stay pending
    store.markRunning(job.id);
    store.saveProgress(job.id, { turns: 3, lastTool: 'Read', costUsd: 0.001, tail: ['Read src/index.ts'], updatedAt: now }, i % 10 === 0 ? EVENTS : []);
    store.finish(job.id, { status: i % 9 === 0 ? 'failed' : 'done', result: result(agent, i) });
  }
  store.close();
  return last;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}

async function time(runs, fn) {
  for (let i = 0; i < 10; i += 1) await fn();
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

const ms = (v) => `${v.toFixed(2)} ms`;
const row = (name, s, base) =>
  console.log(`${name.padEnd(46)} median ${ms(s.median).padStart(10)}  p95 ${ms(s.p95).padStart(10)}${base ? `  ×${(s.median / base).toFixed(1)} baseline` : ''}`);

function app(store) {
  return createApp({
    store,
    dispatcher: { cancel: async () => ({ outcome: 'already_terminal', job: undefined }) },
    agents: () => AGENTS,
    budgets: () => ({ daily: 5, agents: { 'agent-0': 1 } }),
    token: TOKEN,
    port: () => PORT,
    logger: quiet,
  });
}

const headers = { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` };
async function get(web, path) {
  const response = await web.request(`http://127.0.0.1:${PORT}${path}`, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
  return body;
}

// Child mode: report memory after opening the store, optionally serving and rendering every page.
async function memoryChild(path, lastId, withDashboard) {
  const store = createJobStore({ path, logger: quiet });
  store.list({ limit: 50 });
  if (withDashboard) {
    const web = app(store);
    for (let i = 0; i < 20; i += 1) {
      for (const p of ['/', `/?page=${1 + (i % 200)}`, '/?agent=agent-3&state=done', `/jobs/${lastId}`, '/agents', '/costs?days=30']) await get(web, p);
    }
    // Ten open live streams, like ten browser tabs.
    const streams = await Promise.all(Array.from({ length: 10 }, () => web.request(`http://127.0.0.1:${PORT}/events`, { headers })));
    await Promise.all(streams.map((s) => s.body.getReader().read()));
  }
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed }));
  process.exit(0);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ad-bench-web-'));
  const path = join(dir, 'jobs.db');
  try {
    const t0 = performance.now();
    const lastId = fill(path);
    console.log(`filled the store with ${N} jobs (14 days, 7 agents) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const store = createJobStore({ path, logger: quiet });
    const web = app(store);

    // Render floor: the store reads the jobs page makes (sequence, count, one page).
    const base = await time(200, () => (store.currentSeq(), store.count(), store.list({ limit: 50 })));
    row('baseline: store reads of one page (count+list)', base);
    row('jobs page, page 1 (50 rows)', await time(200, () => get(web, '/')), base.median);
    row('jobs page, page 100 (offset 4,950)', await time(200, () => get(web, '/?page=100')), base.median);
    row('jobs page, last page (offset 9,950)', await time(100, () => get(web, '/?page=200')), base.median);
    row('jobs page, agent + state filter', await time(200, () => get(web, '/?agent=agent-3&state=done')), base.median);
    row('job page (timeline of 7 events)', await time(200, () => get(web, `/jobs/${store.list({ limit: 1, offset: 10 })[0].id}`)), base.median);
    row('agents page (7 agents)', await time(50, () => get(web, '/agents')), base.median);
    row('costs page (14 days)', await time(100, () => get(web, '/costs')), base.median);
    const page = await get(web, '/');
    console.log(`jobs page size: ${(page.length / 1024).toFixed(1)} KiB, ${page.match(/<tr id="job-/g).length} rows`);
    store.close();

    const self = new URL(import.meta.url).pathname;
    const measure = (mode) => {
      const run = spawnSync(process.execPath, ['--expose-gc', self, mode, path, lastId], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(run.stderr);
      return JSON.parse(run.stdout);
    };
    const floor = measure('memory-store');
    const dash = measure('memory-dashboard');
    const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
    console.log(`${'baseline: process with the store open'.padEnd(46)} rss ${mib(floor.rss).padStart(10)}  heap ${mib(floor.heapUsed).padStart(9)}`);
    console.log(`${'dashboard after 120 renders + 10 live streams'.padEnd(46)} rss ${mib(dash.rss).padStart(10)}  heap ${mib(dash.heapUsed).padStart(9)}  +${mib(dash.rss - floor.rss)} rss over baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, path, lastId] = process.argv.slice(2);
if (mode === 'memory-store') await memoryChild(path, lastId, false);
else if (mode === 'memory-dashboard') await memoryChild(path, lastId, true);
else await main();
