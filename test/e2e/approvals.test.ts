// Approvals (issue 18) with real parts: the real Claude Code CLI under permission mode `default` asks to run Bash;
// --permission-prompt-tool names our relay, which reaches the dispatch's broker, which asks the MCP client
// (elicitation) or waits for the CLI. The services are the CLI's own composition (createServices).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Client as Client2026 } from '@modelcontextprotocol/client';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/cli/services.js';
import { runCli } from '../../src/cli/run.js';
import { serveInProcess } from '../server/fakes.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { dispatchAndReply, statusWhenAsking } from '../support/reply-from-progress.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, stopLocalWorkers, type ProductSetup } from '../support/product.js';

let bb: Backbone;
let product: ProductSetup;
let services: Services;
let alpha: string;
const selfCommand = [process.execPath, AGENT_DISPATCH_BIN];
const ctx = () => ({ env: product.env, cwd: bb.sandbox.root, stdout: { write: () => true }, stderr: { write: () => true }, selfCommand });

// The stand-in asks for one Bash call that leaves a file, then reports what the tool said.
const script = (marker: string) => ({
  match: marker,
  reply: [toolUse('Bash', { command: `touch ${marker}.txt && echo made-${marker}` }), (c: { lastToolResult?: string }) => text(`tool said: ${c.lastToolResult}`)],
});

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({ rules: ['allowed', 'denied', 'unanswered', 'background', 'always', 'replied', 'rounds', 'refused'].map(script) });
  alpha = bb.project('alpha');
  product = setupProduct(bb, {
    agents: {
      alpha: { directory: alpha, permission_mode: 'default', approvals: 'ask' },
      quick: { directory: alpha, permission_mode: 'default', approvals: 'ask', approval_timeout: 1 },
    },
  });
  services = createServices(ctx());
});
afterAll(async () => {
  await services?.dispatcher.abortAll('test over');
  services?.close();
  // The background job ran in the local worker, which outlives the services: stop it before the sandbox goes.
  if (product) await stopLocalWorkers(product.stateDir);
  await bb?.cleanup();
});

// An MCP client that answers elicitations with `answer` and records what it was shown.
async function connect(answer?: (message: string) => Promise<ElicitResult>) {
  const served = serveInProcess({ dispatcher: services.dispatcher, catalog: services.catalog, logger: services.logger });
  const client = new Client({ name: 'approvals-test', version: '1' }, { capabilities: answer ? { elicitation: {} } : {} });
  const shown: { message: string; schema: unknown }[] = [];
  if (answer) client.setRequestHandler(ElicitRequestSchema, (request) => {
    const params = request.params as { message: string; requestedSchema?: unknown };
    shown.push({ message: params.message, schema: params.requestedSchema });
    return answer(params.message);
  });
  await client.connect(served.transport);
  return { client, shown, close: async () => { await client.close(); await served.close(); } };
}

type Structured = { success: boolean; result?: string; job_id: string; denied_tools?: unknown; permission_denials?: unknown };

describe('approvals "ask" with the real CLI', () => {
  it('asks the caller by elicitation; allowed, the command runs and the timeline records who decided', async () => {
    const { client, shown, close } = await connect(async () => ({ action: 'accept', content: { decision: 'allow_once' } }));
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'allowed' } })).structuredContent as Structured;
    await close();
    expect(out.success).toBe(true);
    expect(out.result).toContain('made-allowed');
    expect(existsSync(join(alpha, 'allowed.txt'))).toBe(true);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.message).toContain('Agent alpha asks to use Bash');
    expect(shown[0]!.message).toContain('command: touch allowed.txt && echo made-allowed');
    const events = services.store.events(out.job_id).events.map((e) => e.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_request', toolName: 'Bash', input: expect.objectContaining({ command: 'touch allowed.txt && echo made-allowed' }) }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision: 'allow_once', decidedBy: 'caller', how: 'elicitation' }));
  });

  it('denied by the caller, the command does not run and the result lists the denial', async () => {
    const { client, close } = await connect(async () => ({ action: 'decline' }));
    const call = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'denied' } });
    await close();
    expect(existsSync(join(alpha, 'denied.txt'))).toBe(false);
    expect(JSON.stringify(call.structuredContent)).toContain('Bash');
    const job = services.store.get((call.structuredContent as Structured).job_id);
    expect(job.result?.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Bash' })]);
  });

  it('denies a request nobody answers once approval_timeout has passed, and the agent goes on', async () => {
    const { client, close } = await connect(() => new Promise(() => {}));
    const call = await client.callTool({ name: 'dispatch', arguments: { agent: 'quick', task: 'unanswered' } });
    await close();
    const out = call.structuredContent as Structured;
    expect(existsSync(join(alpha, 'unanswered.txt'))).toBe(false);
    const events = services.store.events(out.job_id).events.map((e) => e.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision: 'deny', decidedBy: 'timeout' }));
    expect(services.store.get(out.job_id).result?.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Bash' })]);
  });

  it('a background job waits in input_required until `agent-dispatch jobs approve`, then finishes', async () => {
    const { client, close } = await connect(async () => ({ action: 'accept', content: { decision: 'deny' } }));
    const started = (await client.callTool({ name: 'dispatch_async', arguments: { agent: 'alpha', task: 'background' } })).structuredContent as { job_id: string };
    const status = await statusWhenAsking(client, started.job_id);
    expect(status.status).toBe('input_required');
    const [pending] = status.pending_requests as { request_id: string; tool: string; shown: string }[];
    expect(pending).toMatchObject({ tool: 'Bash', shown: 'command: touch background.txt && echo made-background' });
    let shown = '';
    await runCli(['jobs', 'show', started.job_id], { ...ctx(), stdout: { write: (s: string) => (shown += s) } });
    expect(shown).toMatch(/status\s+input_required/);
    expect(shown).toContain(`Input required: request ${pending!.request_id}`);
    expect(shown).toContain('command: touch background.txt && echo made-background');
    // The agent itself (its job id is in its environment) may not answer: a person does.
    let refused = '';
    const nested = { ...ctx(), env: { ...product.env, AGENT_DISPATCH_DEPTH: '1', AGENT_DISPATCH_JOB: started.job_id }, stderr: { write: (s: string) => (refused += s) } };
    expect(await runCli(['jobs', 'approve', started.job_id.slice(0, 8)], nested)).not.toBe(0);
    expect(refused).toContain('answered by a person, not by a dispatched agent');
    let said = '';
    const code = await runCli(['jobs', 'approve', started.job_id.slice(0, 8)], { ...ctx(), stdout: { write: (s: string) => (said += s) } });
    expect(code, said).toBe(0);
    expect(said).toContain('allow_once');
    const done = await services.dispatcher.wait(started.job_id, 60_000);
    await close();
    expect(done.job.status).toBe('done');
    expect(done.job.result?.text).toContain('made-background');
    const events = services.store.events(started.job_id).events.map((e) => e.event);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decidedBy: 'cli', how: 'jobs approve' }));
  });

  it('a synchronous call whose client cannot elicit shows the request in its progress and takes dispatch_reply', async () => {
    const { client, close } = await connect();
    const { structured, progress, answered } = await dispatchAndReply(client, { agent: 'alpha', task: 'replied' }, 'allow_once');
    const out = structured as Structured;
    await close();
    expect(progress.some((line) => line.includes('input required: approve Bash: touch replied.txt'))).toBe(true);
    expect(answered).toMatchObject({ outcome: 'decided', decision: 'allow_once', decided_by: 'tool' });
    expect(out.result).toContain('made-replied');
  });

  it('"allow always" adds the rule to the agent\'s allowed_tools in agents.yaml and says so', async () => {
    const { client, close } = await connect(async () => ({ action: 'accept', content: { decision: 'allow_always' } }));
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'always' } })).structuredContent as Structured;
    await close();
    expect(out.result).toContain('made-always');
    expect(readFileSync(product.configPath, 'utf8')).toContain('Bash(touch always.txt && echo made-always)');
    const events = services.store.events(out.job_id).events.map((e) => e.event);
    // The timeline has the answer as it was recorded (the rule being added); the request, what the editor then did.
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision: 'allow_always', note: 'adding Bash(touch always.txt && echo made-always) to allowed_tools of agent alpha' }));
    expect(services.store.approvals(out.job_id)[0]?.note).toContain('added Bash(touch always.txt && echo made-always) to allowed_tools of agent alpha');
  });

  it.each([
    ['allow_once', 'rounds', true],
    ['deny', 'refused', false],
  ] as const)('asks a 2026-07-28 caller in input_required rounds (the v2 SDK client answers the form): %s', async (decision, marker, ran) => {
    const served = serveInProcess({ dispatcher: services.dispatcher, catalog: services.catalog, logger: services.logger });
    const client = new Client2026({ name: 'rounds-test', version: '1' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const shown: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      shown.push((request.params as { message: string }).message);
      return { action: 'accept', content: { decision } };
    });
    await client.connect(served.transport as never);
    try {
      const call = await client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: marker } });
      const out = call.structuredContent as Structured;
      expect(shown).toHaveLength(1);
      expect(shown[0]).toContain(`command: touch ${marker}.txt && echo made-${marker}`);
      expect(existsSync(join(alpha, `${marker}.txt`))).toBe(ran);
      if (ran) expect(out.result).toContain(`made-${marker}`);
      else expect(services.store.get(out.job_id).result?.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Bash' })]);
      const events = services.store.events(out.job_id).events.map((e) => e.event);
      expect(events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision, decidedBy: 'caller' }));
    } finally {
      await client.close();
      await served.close();
    }
  });
});
