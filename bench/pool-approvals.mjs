// Approvals (issue 18) through the worker pool: how long a pool job's permission request takes to reach the MCP
// caller, and how long its agent takes to go on once answered. Real parts: a private redis-server, an
// `agent-dispatch worker` running the real Claude Code CLI against the stand-in model (which asks for one Bash
// call), and `agent-dispatch serve` with only the queue configured, driven by an SDK client whose elicitation
// handler allows at once. Marks are taken in this process (the stand-in and the client live here).
// Baseline, in the same run: the same agent dispatched locally (`serve` without a queue, the broker in serve).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { importTs } from '../test/support/load-ts.mjs';
import { BIN, median, ROOT, RUNS, startApprovalBench } from './lib/approval-bench.mjs';

const signed = (ms) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(1)} ms`;

const { HAVE_REDIS, startRedis, startWorker, stopWorker } = await importTs(join(ROOT, 'test', 'pool', 'support.ts'));
if (!HAVE_REDIS) {
  console.log('pool approvals: skipped (no /usr/bin/redis-server)');
  process.exit(0);
}
const { marks, reset, connect, bb, CLAUDE_BIN } = await startApprovalBench();
const redis = await startRedis();
const base = bb.env({ extra: { AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN, AGENT_DISPATCH_LOG_LEVEL: 'warn' } });
const worker = await startWorker(redis, { host: 'bench-host', agents: { asks: { permission_mode: 'default', approvals: 'ask' } }, env: base });
// The local baseline: the same agent definition, this machine, no queue.
const local = join(bb.sandbox.root, 'local');
mkdirSync(join(local, 'state'), { recursive: true });
writeFileSync(join(local, 'agents.yaml'), `agents:\n  asks:\n    directory: ${join(worker.root, 'asks')}\n    permission_mode: default\n    approvals: ask\nsettings:\n  cache:\n    enabled: false\n`);
const caller = join(bb.sandbox.root, 'caller');
mkdirSync(join(caller, 'state'), { recursive: true });
writeFileSync(join(caller, 'agents.yaml'), `settings:\n  queue: ${redis.url}\n`);

// A client of a server whose config and state live in `dir`.
const client = (dir) => connect({ args: [BIN, 'serve'], env: { ...base, AGENT_DISPATCH_CONFIG: join(dir, 'agents.yaml'), AGENT_DISPATCH_STATE_DIR: join(dir, 'state') } });
const viaPool = await client(caller);
const reader = new Redis(redis.url);
const viaLocal = await client(local);

async function run(c) {
  reset();
  const res = await c.callTool({ name: 'dispatch', arguments: { agent: 'asks', task: 'bench' } });
  if (res.structuredContent?.success !== true || !String(res.structuredContent?.result).includes('done')) throw new Error(`dispatch failed: ${JSON.stringify(res.structuredContent)}`);
  if (marks.elicit === undefined) throw new Error('no elicitation arrived');
  // The pool job's request as the worker's broker recorded it (askedAt: the worker's clock, this same machine).
  const raw = Object.entries(await reader.hgetall(`ad:appr:${res.structuredContent.job_id}`)).find(([k]) => !k.endsWith(':d'));
  const brokerToCaller = raw ? marks.elicitWall - JSON.parse(raw[1]).askedAt : undefined;
  return { toCaller: marks.elicit - marks.toolSent, goesOn: marks.next - marks.elicit, brokerToCaller };
}

try {
  await run(viaLocal); // warm-up, not counted
  await run(viaPool);
  const rows = { local: { toCaller: [], goesOn: [] }, pool: { toCaller: [], goesOn: [] } };
  const brokerToCaller = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [name, c] of [['local', viaLocal], ['pool', viaPool]]) {
      const r = await run(c);
      rows[name].toCaller.push(r.toCaller);
      rows[name].goesOn.push(r.goesOn);
      if (name === 'pool') brokerToCaller.push(r.brokerToCaller);
    }
  }
  console.log(`runs: ${RUNS} pairs (real Claude Code CLI 2.1.328 against the stand-in; machine shared, figures noisy)`);
  console.log(`baseline, local job: tool_use sent → elicitation at the client   median ${median(rows.local.toCaller).toFixed(1)} ms`);
  console.log(`pool job:            tool_use sent → elicitation at the client   median ${median(rows.pool.toCaller).toFixed(1)} ms (${signed(median(rows.pool.toCaller) - median(rows.local.toCaller))})`);
  const hop = median(brokerToCaller);
  console.log(`pool job: worker's broker got the request → elicitation at the client (wall ms) median ${hop.toFixed(1)} ms (target ≤ 50 ms) ${hop <= 50 ? 'OK' : 'OVER TARGET'}`);
  console.log(`baseline, local job: answer → next model request                 median ${median(rows.local.goesOn).toFixed(1)} ms`);
  console.log(`pool job:            answer → next model request                 median ${median(rows.pool.goesOn).toFixed(1)} ms (${signed(median(rows.pool.goesOn) - median(rows.local.goesOn))}; the answer's pub/sub message wakes the worker)`);
} finally {
  reader.disconnect();
  await viaPool.close();
  await viaLocal.close();
  await stopWorker(worker);
  await redis.stop();
  await bb.cleanup();
}
