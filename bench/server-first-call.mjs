// The first tool call of a fresh `agent-dispatch serve`, the way Claude Code opens a session: server/discover →
// tools/list (the handshake), a pause for the model's turn (MODEL_TURN_MS), then tools/call `dispatch` (instant
// fixture agent, cache off). Before the services warmed up after the handshake, that first call paid for loading
// config, YAML, SQLite and the runner. Prints medians of: the server's CPU time until its tools/list answer (the
// handshake must stay cheap), the first call's wall time, and the server's CPU time spent inside that call (what
// the call still waits for), beside a second dispatch of the same session (the warm baseline). With `--base <bin/agent-dispatch.js>` of another build, both run in turn in the same
// run, so the load hits them alike. Wall times are noisy on a loaded machine; CPU time much less.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { percentile } from './lib/paired.mjs';
import { BIN, cpuMs, createServerBench } from './lib/server-env.mjs';

const RUNS = 10;
const MODEL_TURN_MS = Number(process.env.AD_BENCH_TURN_MS ?? 300);
const at = process.argv.indexOf('--base');
const baseBin = at > 0 ? process.argv[at + 1] : process.env.AD_BENCH_BASE_BIN;
const bench = createServerBench({ name: 'first-call', settings: '  cache:\n    enabled: false\n' });
const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One session: spawn, handshake, model turn, first dispatch; then SIGTERM.
function session(bin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve'], { stdio: ['pipe', 'pipe', 'ignore'], shell: false, env: bench.env });
    const send = (id, method, params = {}) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } })}\n`);
    const r = {};
    let callStart = 0;
    let cpuBefore = 0;
    let buffer = '';
    child.on('error', reject);
    child.stdout.on('data', async (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (message.id === 1) send(2, 'tools/list');
        if (message.id === 2) {
          r.handshakeCpu = cpuMs(child.pid);
          await sleep(MODEL_TURN_MS);
          cpuBefore = cpuMs(child.pid);
          callStart = performance.now();
          send(3, 'tools/call', { name: 'dispatch', arguments: { agent: 'bench', task: 'hi' } });
        }
        if (message.id === 3 || message.id === 4) {
          const key = message.id === 3 ? 'call' : 'next';
          r[`${key}Wall`] = performance.now() - callStart;
          r[`${key}Cpu`] = cpuMs(child.pid) - cpuBefore;
          if (message.result?.structuredContent?.success !== true) reject(new Error(`dispatch failed: ${JSON.stringify(message).slice(0, 400)}`));
          if (message.id === 3) {
            // The baseline in the same session: a second dispatch, on services that are loaded and warm.
            cpuBefore = cpuMs(child.pid);
            callStart = performance.now();
            send(4, 'tools/call', { name: 'dispatch', arguments: { agent: 'bench', task: 'again' } });
            continue;
          }
          child.kill('SIGTERM');
          child.on('close', () => resolve(r));
        }
      }
    });
    send(1, 'server/discover');
  });
}

try {
  const subjects = [['this build', BIN], ...(baseBin ? [['base build', baseBin]] : [])];
  const samples = Object.fromEntries(subjects.map(([label]) => [label, []]));
  for (const [, bin] of subjects) await session(bin); // warm the page cache and the state dir; not counted
  for (let i = 0; i < RUNS; i += 1) for (const [label, bin] of subjects) samples[label].push(await session(bin));
  const p50 = (label, key) => percentile(samples[label].map((s) => s[key]), 0.5);
  console.log(`first tool call after the handshake, median of ${RUNS} in turn (model turn ${MODEL_TURN_MS} ms; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}):`);
  for (const [label] of subjects) {
    console.log(`  ${label.padEnd(11)} handshake cpu ${p50(label, 'handshakeCpu').toFixed(0).padStart(4)} ms   first dispatch ${p50(label, 'callWall').toFixed(1).padStart(6)} ms wall, server cpu in it ${p50(label, 'callCpu').toFixed(0).padStart(4)} ms   (second dispatch: ${p50(label, 'nextWall').toFixed(1)} ms wall, ${p50(label, 'nextCpu').toFixed(0)} ms cpu)`);
  }
} finally {
  bench.cleanup();
}
