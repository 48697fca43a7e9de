// Approvals "ask" for an agent on an SSH host (issue 18), with real parts: the real Claude Code CLI runs on the
// "host" (this machine through a private sshd, under another HOME) against the stand-in model, under permission
// mode `default`, and asks to run Bash. Its --permission-prompt-tool is our relay served over HTTP on a local Unix
// socket, reached through a remote forward over the agent's SSH master; the broker asks the MCP client.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/cli/services.js';
import { serveInProcess } from '../server/fakes.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, setupProduct, type ProductSetup } from '../support/product.js';
import { canRunSshd, startSshd, type TestSshd } from '../runner/ssh/sshd.js';

let bb: Backbone;
let sshd: TestSshd;
let product: ProductSetup;
let services: Services;
let project: string;

const script = (marker: string) => ({
  match: marker,
  reply: [toolUse('Bash', { command: `touch ${marker}.txt && echo made-${marker}` }), (c: { lastToolResult?: string }) => text(`tool said: ${c.lastToolResult}`)],
});

beforeAll(async () => {
  if (!canRunSshd) return;
  sshd = await startSshd();
  bb = await createBackbone({ rules: ['allowed', 'denied', 'unanswered'].map(script) });
  project = bb.project('remote');
  // The CLI's environment on the host (stand-in URL, temp HOME, PATH with the pinned CLI) is the agent's env.
  const env = Object.fromEntries(Object.entries(bb.env()).filter((e): e is [string, string] => e[1] !== undefined));
  const remote = { directory: project, host: sshd.host, ssh_options: sshd.sshOptions, env, permission_mode: 'default', approvals: 'ask' };
  product = setupProduct(bb, { agents: { remote, quick: { ...remote, approval_timeout: 1 } } }, { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'adrt-')) });
  services = createServices({ env: product.env, cwd: bb.sandbox.root, stdout: { write: () => true }, stderr: { write: () => true }, selfCommand: [process.execPath, AGENT_DISPATCH_BIN] });
}, 30_000);
afterAll(async () => {
  await services?.dispatcher.abortAll('test over');
  services?.close();
  await bb?.cleanup();
  sshd?.cleanup();
});

async function connect(answer: (message: string) => Promise<ElicitResult>) {
  const served = serveInProcess({ dispatcher: services.dispatcher, catalog: services.catalog, logger: services.logger });
  const client = new Client({ name: 'approvals-ssh-test', version: '1' }, { capabilities: { elicitation: {} } });
  const shown: string[] = [];
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    shown.push((request.params as { message: string }).message);
    return answer((request.params as { message: string }).message);
  });
  await client.connect(served.transport);
  return { client, shown, close: async () => { await client.close(); await served.close(); } };
}

// TCP ports the test sshd's processes listen on besides its own: the remote forwards still open.
function forwardedPorts(): number[] {
  const pids = new Set(sshd.pids());
  const out = spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter((line) => [...line.matchAll(/pid=(\d+)/g)].some((m) => pids.has(Number(m[1]))))
    .map((line) => Number(/:(\d+)\s/.exec(line)?.[1]))
    .filter((port) => port !== sshd.port);
}

type Structured = { success: boolean; result?: string; job_id: string };

describe.skipIf(!canRunSshd)('approvals "ask" for an agent on an SSH host, with the real CLI there', () => {
  it('asks the caller by elicitation; allowed, the command runs on the host, and the forward is gone afterwards', async () => {
    let during: number[] = [];
    let argv: string[] = [];
    const { client, shown, close } = await connect(async () => {
      during = forwardedPorts();
      argv = spawnSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).stdout.split('\n');
      return { action: 'accept', content: { decision: 'allow_once' } };
    });
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'remote', task: 'allowed' } })).structuredContent as Structured;
    await close();
    expect(out.success, JSON.stringify(out)).toBe(true);
    expect(out.result).toContain('made-allowed');
    expect(existsSync(join(project, 'allowed.txt'))).toBe(true);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('command: touch allowed.txt && echo made-allowed');
    const events = services.store.events(out.job_id).events.map((e) => e.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision: 'allow_once', decidedBy: 'caller', how: 'elicitation' }));
    // One port on the host's loopback while the request waited (127.0.0.1 and ::1), none once the run ended.
    expect(new Set(during).size).toBe(1);
    expect(forwardedPorts()).toEqual([]);
    // The remote CLI's command line (and its wrapper's, and the local ssh's) names the token only as ${VAR}.
    const named = argv.filter((line) => line.includes('agent-dispatch-approvals'));
    expect(named.length).toBeGreaterThan(0);
    for (const line of named) expect(line).toContain('Bearer ${AGENT_DISPATCH_APPROVAL_TOKEN}');
    expect(argv.filter((line) => /Bearer [0-9a-f]{8}|AGENT_DISPATCH_APPROVAL_SECRET|AGENT_DISPATCH_APPROVAL_TOKEN=/.test(line))).toEqual([]);
  }, 60_000);

  it('denied by the caller, the command does not run and the result lists the denial', async () => {
    const { client, close } = await connect(async () => ({ action: 'decline' }));
    const call = await client.callTool({ name: 'dispatch', arguments: { agent: 'remote', task: 'denied' } });
    await close();
    expect(existsSync(join(project, 'denied.txt'))).toBe(false);
    const job = services.store.get((call.structuredContent as Structured).job_id);
    expect(job.result?.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Bash' })]);
  }, 60_000);

  it('denies a request nobody answers once approval_timeout has passed, and the agent goes on', async () => {
    const { client, close } = await connect(() => new Promise(() => {}));
    const call = await client.callTool({ name: 'dispatch', arguments: { agent: 'quick', task: 'unanswered' } });
    await close();
    const out = call.structuredContent as Structured;
    expect(existsSync(join(project, 'unanswered.txt'))).toBe(false);
    const events = services.store.events(out.job_id).events.map((e) => e.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision: 'deny', decidedBy: 'timeout' }));
    expect(services.store.get(out.job_id).result?.ok).toBe(true);
  }, 60_000);
});
