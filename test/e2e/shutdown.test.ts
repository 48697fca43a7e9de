// Nothing outlives the session: `agent-dispatch serve` over stdio, a dispatch whose agent (the real CLI) is busy in
// a Bash tool running a 60 s python3 sleep, then each way a session ends: Claude Code's signal sequence, a client's
// notifications/cancelled, and stdin EOF. Every process of the agent's tree must be gone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import { descendants, isAlive, killAll, processTable, sleep, survivorsAfter, waitFor } from './procs.js';

let bb: Backbone;
let setup: ProductSetup;
let agentDir: string;
const started: number[] = [];

// The agent's Bash tool sleeps in python3 (`sleep 60` itself is refused by the CLI's sandbox rules); the marker
// in argv lets the test find that grandchild in the process table.
const slowBash = (marker: string) => toolUse('Bash', { command: `python3 -c 'import time; time.sleep(60)' ${marker}` });

beforeAll(async () => {
  assertBuilt();
  const rules = ['SIGNALS', 'CANCEL', 'EOF'].map((marker) => ({ match: `SLOW ${marker}`, reply: [slowBash(`ad-${marker.toLowerCase()}-marker`), text('finished')] }));
  bb = await createBackbone({ rules, defaultReply: text('ok') });
  agentDir = bb.project('slowpoke', { claudeMd: 'A slow agent.' });
  setup = setupProduct(bb, {
    agents: { slowpoke: { directory: agentDir, description: 'Sleeps', permission_mode: 'acceptEdits', allowed_tools: ['Bash(python3:*)'] } },
  });
});

afterEach(() => killAll(started.splice(0)));
afterAll(async () => {
  await bb?.cleanup();
});

interface Served {
  client: Client;
  transport: StdioClientTransport;
  pid: number;
  stderr: () => string;
}

async function serve(): Promise<Served> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: setup.env as Record<string, string>, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'shutdown-e2e', version: '1' });
  await client.connect(transport);
  const pid = transport.pid!;
  started.push(pid);
  return { client, transport, pid, stderr: () => stderr };
}

/** How a tool call ended: answered, or rejected by the client. */
type Settled = { ok: true; value: unknown } | { ok: false; error: Error };

// Start the slow dispatch and wait until the agent's python3 grandchild runs; returns the call and the agent's tree.
async function startSlowDispatch(served: Served, marker: string, options: { signal?: AbortSignal } = {}) {
  const call = served.client.callTool({ name: 'dispatch', arguments: { agent: 'slowpoke', task: `SLOW ${marker}` } }, undefined, { signal: options.signal, timeout: 120_000 });
  const settled: Promise<Settled> = call.then(
    (value) => ({ ok: true, value }),
    (error: Error) => ({ ok: false, error }),
  );
  const needle = `ad-${marker.toLowerCase()}-marker`;
  const tree = await waitFor(`the agent's python3 (${needle})`, () => {
    const table = processTable();
    const below = descendants(served.pid, table);
    return below.some((p) => p.cmdline.includes('time.sleep') && p.cmdline.includes(needle)) ? below : undefined;
  });
  const pids = tree.map((p) => p.pid);
  started.push(...pids);
  // The tree: the real CLI (its own process group), and the shell and python3 of its Bash tool, which the CLI puts
  // in a process group of their own.
  expect(tree.some((p) => p.cmdline.includes('claude') && p.cmdline.includes('-p'))).toBe(true);
  expect(pids.every(isAlive)).toBe(true);
  return { settled, pids };
}

// For a failure message: what the surviving processes are.
function describePids(pids: number[]): string {
  const table = processTable();
  return pids.map((pid) => {
    const p = table.find((row) => row.pid === pid);
    return p ? `${pid} (ppid ${p.ppid}, pgid ${p.pgid}): ${p.cmdline.slice(0, 120)}` : `${pid}`;
  }).join('\n');
}

// A call in flight when the session ends either got its answer first (a cancelled result the model can act on)
// or lost its connection with the server; it never hangs and never reports success.
function expectStopped(outcome: Settled) {
  if (outcome.ok) expect(outcome.value).toMatchObject({ isError: true, structuredContent: { success: false, error_type: 'cancelled', session_id: expect.any(String) } });
  else expect(outcome.error.message).toMatch(/closed/i);
}

describe('stopping agent trees when the session ends', () => {
  it("stops the whole agent tree on Claude Code's shutdown sequence: SIGINT, SIGTERM 100 ms later, SIGKILL 500 ms after that", async () => {
    const served = await serve();
    const { settled, pids } = await startSlowDispatch(served, 'SIGNALS');
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(served.pid, name);
      } catch {
        // the server already exited
      }
    };
    signal('SIGINT');
    await sleep(100);
    signal('SIGTERM');
    await sleep(500);
    signal('SIGKILL');
    await sleep(400);
    // About 1 s after SIGINT: nothing of the tree may be left (a few seconds of slack for a loaded machine).
    const survivors = await survivorsAfter([served.pid, ...pids], 3_000);
    expect(survivors, `${describePids(survivors)}\nserver stderr:\n${served.stderr()}`).toEqual([]);
    expectStopped(await settled);
    expect(served.stderr()).toMatch(/stopping 1 running dispatch\(es\): session ended \(SIGINT\)/);
    await served.client.close();
  });

  it("aborts the run on the client's notifications/cancelled, resolves the call, and keeps serving", async () => {
    const served = await serve();
    const controller = new AbortController();
    const { settled, pids } = await startSlowDispatch(served, 'CANCEL', { signal: controller.signal });
    controller.abort('the user pressed Esc');
    const outcome = await settled;
    expect(outcome.ok).toBe(false); // the SDK client rejects an aborted call at once and sends notifications/cancelled
    const survivors = await survivorsAfter(pids, 10_000);
    expect(survivors, describePids(survivors)).toEqual([]);
    expect(isAlive(served.pid)).toBe(true);
    // The server-side call ended: its job was recorded as cancelled, and the next call is answered.
    let status = 'running';
    for (let i = 0; i < 100 && status === 'running'; i += 1) {
      const jobs = await served.client.callTool({ name: 'dispatch_jobs', arguments: {} });
      status = (jobs.structuredContent as { jobs: { status: string; task: string }[] }).jobs.find((j) => j.task === 'SLOW CANCEL')?.status ?? 'missing';
      if (status === 'running') await sleep(100);
    }
    expect(status).toBe('cancelled');
    const agents = await served.client.callTool({ name: 'list_agents', arguments: {} });
    expect(agents.isError).toBeFalsy();
    await served.client.close();
    expect(await survivorsAfter([served.pid], 5_000)).toEqual([]);
  });

  it('stops in-flight runs when the client closes stdin', async () => {
    const served = await serve();
    const { settled, pids } = await startSlowDispatch(served, 'EOF');
    // The SDK's close() ends stdin, then waits 2 s before sending SIGTERM; the log shows which one stopped us.
    await served.client.close();
    const survivors = await survivorsAfter([served.pid, ...pids], 5_000);
    expect(survivors, `${describePids(survivors)}\nserver stderr:\n${served.stderr()}`).toEqual([]);
    expectStopped(await settled);
    expect(served.stderr()).toMatch(/stopping 1 running dispatch\(es\): session ended \(stdin closed\)/);
  });
});
