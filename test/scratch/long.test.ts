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
  bb = await createBackbone({ rules: ['slowallow'].map(script) });
  project = bb.project('remote');
  // The CLI's environment on the host (stand-in URL, temp HOME, PATH with the pinned CLI) is the agent's env.
  const env = Object.fromEntries(Object.entries(bb.env()).filter((e): e is [string, string] => e[1] !== undefined));
  const remote = { directory: project, host: sshd.host, ssh_options: sshd.sshOptions, env, permission_mode: 'default', approvals: 'ask' };
  product = setupProduct(bb, { agents: { remote, slow: { ...remote, approval_timeout: 420 } } }, { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'adrt-')) });
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

describe.skipIf(!canRunSshd)('long wait', () => {
  it('survives a 320 s wait', async () => {
    const t0 = Date.now();
    const { client, close } = await connect(async () => { await new Promise((r) => setTimeout(r, 320_000)); return { action: 'accept', content: { decision: 'allow_once' } }; });
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'slow', task: 'slowallow' } }, undefined, { timeout: 900_000 })).structuredContent as Structured;
    await close();
    console.log('LONG', (Date.now() - t0) / 1000, JSON.stringify(out).slice(0, 600), existsSync(join(project, 'slowallow.txt')));
    const events = services.store.events(out.job_id).events.map((e) => e.event);
    console.log('EVENTS', JSON.stringify(events.filter((e) => String(e.type).startsWith('approval'))));
  }, 900_000);
});
