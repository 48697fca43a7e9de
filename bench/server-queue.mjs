// A thousand `dispatch` calls at once through one MCP stdio server with max_concurrency 5 and an instant agent
// (test/fixtures/bin/claude-tiny.sh), in a git work tree with the cache on (the default), as in issue 13. Prints
// the wall time of 200 and of 1,000 concurrent calls (the ratio should be ~5: linear in the calls), the peak
// number of processes under the server (agents plus any helper such as git: must stay near the limit), and the
// baseline measured in the same run: the same number of direct spawns of the fixture, 5 at a time.
// `node bench/server-queue.mjs` after `npm run build`; AD_BENCH_BIN=<other build's bin/agent-dispatch.js> compares.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, FIXTURE, cpuMs, createServerBench } from './lib/server-env.mjs';

const LIMIT = 5;
const SIZES = (process.env.AD_BENCH_SIZES ?? '200,1000').split(',').map(Number);

const bench = createServerBench({ name: 'queue', settings: `  max_concurrency: ${LIMIT}\n`, git: true, logLevel: 'error' });
const { agentDir, env } = bench;

// Processes below `pid` right now, from /proc (Linux).
function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {}
  }
  let count = 0;
  const stack = [pid];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()) ?? []) {
      count += 1;
      stack.push(child);
    }
  }
  return count;
}

// `n` direct spawns of the fixture, LIMIT at a time.
async function direct(n) {
  const t0 = performance.now();
  let next = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const child = spawn(FIXTURE, ['-p', 'hi'], { cwd: agentDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      child.stdout.resume();
      child.stderr.resume();
      child.on('error', reject);
      child.on('close', resolve);
    });
  await Promise.all(Array.from({ length: LIMIT }, async () => {
    while (next < n) {
      next += 1;
      await one();
    }
  }));
  return performance.now() - t0;
}

async function viaServer(n) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'serve'], env, stderr: 'inherit' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  try {
    await client.callTool({ name: 'dispatch', arguments: { agent: 'bench', task: 'warm-up' } });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, descendants(transport.pid))), 25);
    const cpu0 = cpuMs(transport.pid);
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => client.callTool({ name: 'dispatch', arguments: { agent: 'bench', task: `task ${i}` } }, undefined, { timeout: 900_000 })),
    );
    const wall = performance.now() - t0;
    const cpu = cpuMs(transport.pid) - cpu0;
    clearInterval(sampler);
    // Every call must come back; a rare "ended without a final result" from the shell fixture under this load is
    // counted, not fatal (it happens with direct spawns too).
    const failed = results.filter((r) => r.isError).length;
    return { wall, peak, failed, cpu };
  } finally {
    await client.close();
  }
}

try {
  const rows = [];
  for (const n of SIZES) {
    const base = await direct(n);
    const ours = await viaServer(n);
    rows.push({ n, base, ...ours });
    console.log(`${String(n).padStart(5)} calls   server ${(ours.wall / 1000).toFixed(2)} s   direct spawns ${(base / 1000).toFixed(2)} s   ratio ${(ours.wall / base).toFixed(2)}x   peak processes under the server ${ours.peak} (limit ${LIMIT})   server CPU ${(ours.cpu / n).toFixed(1)} ms per call${ours.failed ? `   ${ours.failed} failed` : ''}`);
  }
  const [small, large] = [rows[0], rows.at(-1)];
  if (small && large && small !== large) {
    const ratio = large.wall / small.wall;
    const ideal = large.n / small.n;
    console.log(`${large.n} vs ${small.n} calls: ${ratio.toFixed(1)}x the time for ${ideal}x the calls (linear: ${ideal}x)   ${ratio <= ideal * 1.5 ? 'OK' : 'NOT LINEAR'}`);
  }
} finally {
  bench.cleanup();
}
