// Dashboard live-update latency (issue 9): time from a job's state change in the store to its server-sent
// event arriving at a client reading the stream over HTTP (target ≤ 100 ms; figures are change → event received). The dashboard runs in its own
// process, like `agent-dispatch web`. Two writers: another process (a supervisor or MCP server: the usual
// case, seen through the store's 25 ms poll) and the dashboard's own process. Baseline in the same run: a
// bare node:http stream in the dashboard process, written on the same stdin command (the IPC + HTTP floor).
// Run `npm run build` first; `node bench/web-live.mjs`.
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createJobStore, startWeb } from '../dist/index.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz';
const clock = () => performance.timeOrigin + performance.now();
const SAMPLES = 100;

// Child: the dashboard, plus a bare SSE-like stream for the baseline, driven by stdin commands.
async function serve(path) {
  const store = createJobStore({ path, logger: quiet });
  const web = await startWeb({
    store,
    dispatcher: { cancel: async () => ({ outcome: 'already_terminal' }) },
    agents: () => [],
    budgets: () => ({ agents: {} }),
    token: TOKEN,
    port: 0,
    logger: quiet,
  });
  const raw = new Set();
  const bare = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    raw.add(res);
    req.on('close', () => raw.delete(res));
  });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  process.stdout.write(`${JSON.stringify({ port: web.port, bare: bare.address().port })}\n`);
  let n = 0;
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [cmd, id] = line.split(' ');
    const t = clock();
    if (cmd === 'ping') for (const res of raw) res.write(`event: ping\ndata: ${t}\n\n`);
    if (cmd === 'write') store.saveProgress(id, { turns: (n += 1), tail: [`step ${n}`], updatedAt: Date.now() });
    process.stdout.write(`${cmd} ${t}\n`);
  });
}

// Open a stream and call onEvent(name, data, arrivedAt) for every message.
function openStream(port, path, headers, onEvent) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const at = clock();
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (name) onEvent(name, data, at);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1) };
}
const ms = (v) => `${v.toFixed(2)} ms`;
const row = (name, s, base) =>
  console.log(`${name.padEnd(44)} median ${ms(s.median).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  max ${ms(s.max).padStart(9)}${base ? `  ×${(s.median / base).toFixed(1)} baseline` : ''}`);
const pause = (msMax) => new Promise((r) => setTimeout(r, Math.random() * msMax));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ad-bench-live-'));
  const path = join(dir, 'jobs.db');
  const store = createJobStore({ path, logger: quiet });
  const ids = [];
  for (let i = 0; i < 200; i += 1) {
    const job = store.create({ kind: 'async', request: { agent: `agent-${i % 5}`, task: `task ${i}` } });
    store.markRunning(job.id);
    ids.push(job.id);
  }
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, 'serve', path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise((r) => waiting.push(r));
  try {
    const { port, bare } = JSON.parse(await nextLine());
    const arrivals = new Map(); // key → arrival time
    const waiters = new Map();
    const arrived = (key, at) => {
      arrivals.set(key, at);
      waiters.get(key)?.(at);
    };
    const waitFor = (key) => (arrivals.has(key) ? Promise.resolve(arrivals.get(key)) : new Promise((r) => waiters.set(key, r)));
    const headers = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` };
    let round = 0;
    await openStream(port, '/events', headers, (name, data, at) => {
      if (name !== 'rows') return;
      for (const r of JSON.parse(data).rows) arrived(`${round}:${r.id}`, at);
    });
    await openStream(bare, '/', {}, (name, _data, at) => name === 'ping' && arrived(`${round}:ping`, at));
    await new Promise((r) => setTimeout(r, 200));

    const base = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      round += 1;
      const got = waitFor(`${round}:ping`);
      child.stdin.write('ping\n');
      const sent = Number((await nextLine()).split(' ')[1]);
      base.push((await got) - sent);
      await pause(30);
    }
    const b = stats(base);
    row('baseline: bare HTTP stream, same trigger', b);

    const crossProcess = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      round += 1;
      const id = ids[i % ids.length];
      const got = waitFor(`${round}:${id}`);
      const t = clock();
      store.saveProgress(id, { turns: i, tail: [`step ${i}`], updatedAt: Date.now() });
      crossProcess.push((await got) - t);
      await pause(30);
    }
    row('change written by another process', stats(crossProcess), b.median);

    const inProcess = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      round += 1;
      const id = ids[(i + 7) % ids.length];
      const got = waitFor(`${round}:${id}`);
      child.stdin.write(`write ${id}\n`);
      const sent = Number((await nextLine()).split(' ')[1]);
      inProcess.push((await got) - sent);
      await pause(30);
    }
    row("change written in the dashboard's process", stats(inProcess), b.median);
  } finally {
    child.kill('SIGTERM');
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

const [mode, path] = process.argv.slice(2);
if (mode === 'serve') await serve(path);
else {
  // A child that died must not hang `npm run bench`.
  setTimeout(() => (console.error('web-live: timed out'), process.exit(1)), 120_000).unref();
  await main();
}
