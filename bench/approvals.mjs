// Approvals (issue 18): how long a dispatched agent's permission request takes to reach the caller, and how long
// the agent takes to go on once answered. The real product (`agent-dispatch serve` over stdio, SDK client with an
// elicitation handler that allows at once) runs the real Claude Code CLI against the stand-in model, which asks for
// one Bash call. Marks are taken in this process: when the stand-in sends the tool_use, when the elicitation
// arrives, when it is answered, and when the CLI sends its next model request.
// Baseline, measured in the same run: the same call by an agent whose allowed_tools already allow it (nobody is
// asked): tool_use sent → next model request. Target: request → elicitation ≤ 50 ms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, median, ROOT, RUNS, startApprovalBench } from './lib/approval-bench.mjs';
import { importTs } from '../test/support/load-ts.mjs';


const { createJobStore } = await importTs(join(ROOT, 'src', 'jobs', 'store', 'index.ts'));
const { marks, reset, connect, bb, CLAUDE_BIN } = await startApprovalBench();
const dir = bb.project('bench');
const state = join(bb.sandbox.root, 'state');
mkdirSync(state, { recursive: true });
const config = join(bb.sandbox.root, 'agents.yaml');
writeFileSync(
  config,
  `agents:\n  asks:\n    directory: ${dir}\n    permission_mode: default\n    approvals: ask\n  allowed:\n    directory: ${dir}\n    permission_mode: default\n    allowed_tools: ["Bash(touch bench-ran.txt)"]\nsettings:\n  cache:\n    enabled: false\n`,
);
const store = createJobStore({ path: join(state, 'jobs.db') });
const env = bb.env({ extra: { AGENT_DISPATCH_CONFIG: config, AGENT_DISPATCH_STATE_DIR: state, AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN, AGENT_DISPATCH_LOG_LEVEL: 'warn' } });
const client = await connect({ args: [BIN, 'serve'], env });

async function run(agent) {
  reset();
  const res = await client.callTool({ name: 'dispatch', arguments: { agent, task: 'bench' } });
  if (res.structuredContent?.success !== true || !String(res.structuredContent?.result).includes('done')) throw new Error(`dispatch failed: ${JSON.stringify(res.structuredContent)}`);
  const [request] = store.approvals(res.structuredContent.job_id);
  return { ...marks, askedAt: request?.askedAt };
}

try {
  await run('allowed'); // warm-up, not counted
  await run('asks');
  const base = [];
  const toCaller = [];
  const goesOn = [];
  const brokerToCaller = [];
  for (let i = 0; i < RUNS; i++) {
    const b = await run('allowed');
    base.push(b.next - b.toolSent);
    const a = await run('asks');
    if (a.elicit === undefined) throw new Error('no elicitation arrived');
    toCaller.push(a.elicit - a.toolSent);
    goesOn.push(a.next - a.elicit);
    brokerToCaller.push(a.elicitWall - a.askedAt);
  }
  const request = median(toCaller);
  console.log(`runs: ${RUNS} pairs (real Claude Code CLI ${'2.1.328'} against the stand-in; machine shared, figures noisy)`);
  console.log(`baseline: tool_use sent → next model request, call already allowed    median ${median(base).toFixed(1)} ms`);
  const ours = median(brokerToCaller);
  console.log(`tool_use sent → elicitation at the client (the CLI's own checks first)  median ${request.toFixed(1)} ms`);
  console.log(`broker got the request → elicitation at the client (wall ms)          median ${ours.toFixed(1)} ms (target ≤ 50 ms) ${ours <= 50 ? 'OK' : 'OVER TARGET'}`);
  console.log(`answer → next model request (broker, relay, CLI runs the command)      median ${median(goesOn).toFixed(1)} ms`);
} finally {
  await client.close();
  store.close();
  await bb.cleanup();
}
