// What a `dispatch` through the MCP server costs on top of the agent process itself: the round trip of
// tools/call `dispatch` over stdio with the SDK client (with a progressToken, as Claude Code sends one), against a
// direct spawn of the same trivial agent (test/fixtures/bin/claude-tiny.sh: init + result, exit 0). The cache is off,
// so every call runs the agent: job record, lease, events and result in SQLite, progress, the result's shaping.
// p50 over 50 alternating runs each, and the p50 of the paired differences; target ≤ 2 ms.
// Then a second server with a spawn timer preloaded (bench/lib/spawn-timer.mjs) shows how much of the overhead is
// Node's own fork + exec of the agent (it grows with the forking process's memory), beside the same spawn from this
// smaller bench process.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { measurePaired, percentile } from './lib/paired.mjs';
import { BIN, FIXTURE, cpuMs, createServerBench } from './lib/server-env.mjs';

const RUNS = 50;
const WARMUP = 5;

const bench = createServerBench({ name: 'dispatch', settings: '  cache:\n    enabled: false\n' });
const { agentDir, env } = bench;

// The baseline: spawn the fixture with pipes, read stdout to the end, wait for close.
function direct() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = ['-p', '--output-format', 'stream-json', '--verbose', '--session-id', randomUUID(), '--', 'hi'];
    const child = spawn(FIXTURE, args, { cwd: agentDir, env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, detached: true });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => (out.includes('"type":"result"') ? resolve(performance.now() - t0) : reject(new Error('no result'))));
  });
}

// A connected client of a new server; `preload` adds `node --import <preload>`.
async function connect(preload, extraEnv = {}) {
  const client = new Client({ name: 'bench', version: '1' });
  const args = preload ? ['--import', pathToFileURL(preload).href, BIN, 'serve'] : [BIN, 'serve'];
  const transport = new StdioClientTransport({ command: process.execPath, args, env: { ...env, ...extraEnv }, stderr: 'inherit' });
  await client.connect(transport);
  return { client, transport };
}

// Synchronous spawn() times (ms) of the fixture from this process, with the child's pipes, as the runner spawns it.
async function spawnTimesHere(n) {
  const times = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    const child = spawn(FIXTURE, ['-p', '--', 'hi'], { cwd: agentDir, env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, detached: true });
    times.push(performance.now() - t0);
    child.stdout.resume();
    child.stderr.resume();
    await new Promise((resolve) => child.on('close', resolve));
  }
  return times;
}

const { client, transport } = await connect();
let progress = 0;
async function viaMcp(c = client) {
  const t0 = performance.now();
  const res = await c.callTool({ name: 'dispatch', arguments: { agent: 'bench', task: 'hi' } }, undefined, { onprogress: () => (progress += 1) });
  const elapsed = performance.now() - t0;
  if (res.isError || res.structuredContent?.success !== true || res.structuredContent?.cached) throw new Error(`dispatch failed: ${JSON.stringify(res.structuredContent ?? res.content)}`);
  return elapsed;
}

try {
  const { raw, ours, paired } = await measurePaired(direct, viaMcp, { runs: RUNS, warmup: WARMUP });
  // Server CPU per call: a further series on the warm server, read from /proc (load moves it far less than time).
  const cpu0 = cpuMs(transport.pid);
  for (let i = 0; i < RUNS; i += 1) await viaMcp();
  const cpuPerCall = (cpuMs(transport.pid) - cpu0) / RUNS;
  const [rawP50, oursP50] = [percentile(raw, 0.5), percentile(ours, 0.5)];
  console.log(`runs: ${RUNS} each (after ${WARMUP} warm-up pairs), cache off, ${(progress / (RUNS + WARMUP)).toFixed(1)} progress notifications per call`);
  console.log(`direct spawn of the fixture   p50 ${rawP50.toFixed(2)} ms   p90 ${percentile(raw, 0.9).toFixed(2)} ms`);
  console.log(`MCP tools/call dispatch       p50 ${oursP50.toFixed(2)} ms   p90 ${percentile(ours, 0.9).toFixed(2)} ms`);
  console.log(`paired diff                   p50 ${paired.toFixed(2)} ms`);
  console.log(`server CPU per dispatch       ${cpuPerCall.toFixed(1)} ms (user + system, ${RUNS} sequential calls)`);
  const overhead = oursP50 - rawP50;
  console.log(`overhead p50   ${overhead.toFixed(2)} ms (target ≤ 2 ms)   ratio ${(oursP50 / rawP50).toFixed(3)}x   ${overhead <= 2 ? 'OK' : 'OVER TARGET'}`);
  await client.close();

  const log = join(bench.root, 'spawn-times.txt');
  const timed = await connect(join(import.meta.dirname, 'lib', 'spawn-timer.mjs'), { AD_BENCH_SPAWN_LOG: log });
  for (let i = 0; i < RUNS; i += 1) await viaMcp(timed.client);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${timed.transport.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  await timed.client.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const inServer = percentile(readFileSync(log, 'utf8').split('\n').map(Number).slice(-RUNS), 0.5);
  const here = percentile(await spawnTimesHere(RUNS), 0.5);
  const ownRss = process.memoryUsage().rss / 2 ** 20;
  console.log(`spawn() inside the server     p50 ${inServer.toFixed(2)} ms (fork + exec, event loop blocked; server RSS ${rss.toFixed(0)} MB)`);
  console.log(`spawn() from this bench       p50 ${here.toFixed(2)} ms (RSS ${ownRss.toFixed(0)} MB)   server/bench ${(inServer / here).toFixed(2)}x`);
  // The baseline forks from Node too, so only the difference is the server's size showing.
  console.log(`overhead beyond the spawn     ${(overhead - (inServer - here)).toFixed(2)} ms (the server's own work: MCP, store, runner)`);
} finally {
  await client.close();
  bench.cleanup();
}
