// Approvals "ask" for an agent on an SSH host (issue 18): how long the remote CLI's permission request takes to
// reach the caller, and how long the agent takes to go on once answered, beside the same request of a local agent
// measured in the same run (alternating pairs). The real product (`agent-dispatch serve` over stdio, an SDK client
// whose elicitation handler allows at once) runs the real Claude Code CLI against the stand-in model, locally and
// on a private loopback sshd (the relay over HTTP, through a remote forward over the shared SSH connection).
// Marks are taken in this process: the stand-in sends the tool_use, the elicitation arrives, the CLI's next model
// request. Target: request → elicitation ≤ 50 ms.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BIN, median, ROOT, RUNS, startApprovalBench } from './lib/approval-bench.mjs';
import { importTs } from '../test/support/load-ts.mjs';


const { canRunSshd, startSshd } = await importTs(join(ROOT, 'test/runner/ssh/sshd.ts'));
if (!canRunSshd) {
  console.log('skipped: needs root, /usr/sbin/sshd and ssh');
  process.exit(0);
}
const { createJobStore } = await importTs(join(ROOT, 'src', 'jobs', 'store', 'index.ts'));
const { marks, reset, connect, bb, CLAUDE_BIN } = await startApprovalBench();
const sshd = await startSshd();
const dir = bb.project('bench');
const state = join(bb.sandbox.root, 'state');
mkdirSync(state, { recursive: true });
const config = join(bb.sandbox.root, 'agents.yaml');
const agentEnv = Object.fromEntries(Object.entries(bb.env()).filter((e) => e[1] !== undefined));
const local = { directory: dir, permission_mode: 'default', approvals: 'ask' };
writeFileSync(config, stringify({ agents: { local, remote: { ...local, host: sshd.host, ssh_options: sshd.sshOptions, env: agentEnv } }, settings: { cache: { enabled: false } } }));
const store = createJobStore({ path: join(state, 'jobs.db') });
const env = bb.env({ extra: { AGENT_DISPATCH_CONFIG: config, AGENT_DISPATCH_STATE_DIR: state, AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN, AGENT_DISPATCH_LOG_LEVEL: 'warn', XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'adrt-')) } });
const client = await connect({ args: [BIN, 'serve'], env });

async function run(agent) {
  reset();
  const t0 = performance.now();
  const res = await client.callTool({ name: 'dispatch', arguments: { agent, task: 'bench' } });
  if (res.structuredContent?.success !== true || !String(res.structuredContent?.result).includes('done')) throw new Error(`dispatch failed: ${JSON.stringify(res.structuredContent)}`);
  if (marks.elicit === undefined) throw new Error('no elicitation arrived');
  const [request] = store.approvals(res.structuredContent.job_id);
  return { toBroker: request.askedAt - marks.toolSentWall, toCaller: marks.elicit - marks.toolSent, broker: marks.elicitWall - request.askedAt, goesOn: marks.next - marks.elicit, whole: performance.now() - t0 };
}

try {
  await run('local'); // warm-up, not counted (the first remote run also starts the shared connection)
  await run('remote');
  const rows = { local: [], remote: [] };
  for (let i = 0; i < RUNS; i++) for (const agent of ['local', 'remote']) rows[agent].push(await run(agent));
  const m = (agent, key) => median(rows[agent].map((r) => r[key])).toFixed(1);
  console.log(`runs: ${RUNS} alternating pairs (real Claude Code CLI 2.1.328 against the stand-in; loopback sshd; machine shared, figures noisy)`);
  console.log(`                                                       local (baseline)   SSH host`);
  console.log(`tool_use sent → elicitation at the client              ${m('local', 'toCaller').padStart(9)} ms   ${m('remote', 'toCaller').padStart(9)} ms`);
  console.log(`tool_use sent → the broker has the request (wall ms)    ${m('local', 'toBroker').padStart(9)} ms   ${m('remote', 'toBroker').padStart(9)} ms`);
  console.log(`broker got the request → elicitation (target ≤ 50 ms)  ${m('local', 'broker').padStart(9)} ms   ${m('remote', 'broker').padStart(9)} ms`);
  console.log(`answer → the CLI's next model request                  ${m('local', 'goesOn').padStart(9)} ms   ${m('remote', 'goesOn').padStart(9)} ms`);
  console.log(`whole dispatch                                         ${m('local', 'whole').padStart(9)} ms   ${m('remote', 'whole').padStart(9)} ms`);
} finally {
  await client.close();
  store.close();
  await bb.cleanup();
  sshd.cleanup();
}
