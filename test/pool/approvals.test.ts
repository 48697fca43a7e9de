// Approvals "ask" through the worker pool, with real parts: a private redis-server, an `agent-dispatch worker`
// process running the real Claude Code CLI against the stand-in model (permission mode `default`, so it asks to
// run Bash), and `agent-dispatch serve` with only the queue configured as the calling side, driven by a real MCP
// client. The request travels worker → Redis → serve → the client (elicitation), and the answer back.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Client as Client2026 } from '@modelcontextprotocol/client';
import { StdioClientTransport as Stdio2026 } from '@modelcontextprotocol/client/stdio';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createPoolDispatcher, type PoolDispatcher } from '../../src/pool/index.js';
import { parseQueueUrl } from '../../src/shared/queue-url.js';
import { text, toolUse } from '../support/fake-anthropic.js';
import { CLAUDE_BIN, createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt } from '../support/product.js';
import { dispatchAndReply, statusWhenAsking } from '../support/reply-from-progress.js';
import { HAVE_REDIS, startRedis, startWorker, stopWorker, type TestRedis, type TestWorker } from './support.js';

let redis: TestRedis;
let bb: Backbone;
let worker: TestWorker;
let other: PoolDispatcher;
let tmp: string;
let callerEnv: Record<string, string>;

// The stand-in asks for one Bash call that leaves a file, then reports what the tool said.
const script = (marker: string) => ({
  match: marker,
  reply: [toolUse('Bash', { command: `touch ${marker}.txt && echo made-${marker}` }), (c: { lastToolResult?: string }) => text(`tool said: ${c.lastToolResult}`)],
});

// `agent-dispatch serve` for the calling side, with a real MCP client that answers elicitations with `answer`.
async function connect(answer?: (message: string) => Promise<ElicitResult>) {
  const client = new Client({ name: 'pool-approvals-test', version: '1' }, { capabilities: answer ? { elicitation: {} } : {} });
  const shown: string[] = [];
  if (answer) client.setRequestHandler(ElicitRequestSchema, (request) => {
    const message = (request.params as { message: string }).message;
    shown.push(message);
    return answer(message);
  });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: callerEnv, stderr: 'ignore' }));
  return { client, shown, close: () => client.close() };
}

// Run the CLI as the calling side (same user, same state directory); not spawnSync: the stand-in model answers
// from this process's event loop.
async function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [AGENT_DISPATCH_BIN, ...args], { env: callerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out, err };
}

type Structured = { success: boolean; result?: string; job_id: string };
const dirOf = () => join(worker.root, 'asker');

describe.skipIf(!HAVE_REDIS)('approvals "ask" through the worker pool', () => {
  beforeAll(async () => {
    assertBuilt();
    tmp = mkdtempSync(join(tmpdir(), 'ad-pool-ask-'));
    redis = await startRedis();
    bb = await createBackbone({ rules: ['allowed', 'denied', 'unanswered', 'background', 'replied', 'rounds'].map(script) });
    const env = { ...(bb.env() as Record<string, string>), AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN };
    worker = await startWorker(redis, {
      host: 'host-ask',
      agents: { asker: { permission_mode: 'default', approvals: 'ask' }, quick: { permission_mode: 'default', approvals: 'ask', approval_timeout: 1 } },
      env,
    });
    // The calling side: a laptop whose agents.yaml holds only the queue.
    mkdirSync(join(tmp, 'home'), { recursive: true });
    writeFileSync(join(tmp, 'caller.yaml'), stringify({ settings: { queue: redis.url } }));
    callerEnv = { ...env, HOME: join(tmp, 'home'), AGENT_DISPATCH_CONFIG: join(tmp, 'caller.yaml'), AGENT_DISPATCH_STATE_DIR: join(tmp, 'state') };
    // Another pool client, with its own answer key: it reads the history but cannot answer.
    other = await createPoolDispatcher({ endpoint: parseQueueUrl(redis.url), config: () => configSchema.parse({ settings: { queue: redis.url } }) });
  }, 60_000);

  afterAll(async () => {
    if (worker) await stopWorker(worker, 'SIGKILL');
    await other?.close();
    await redis?.stop();
    await bb?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('puts the request to the MCP caller by elicitation; allowed, the command runs on the worker and the history says who decided', async () => {
    const { client, shown, close } = await connect(async () => ({ action: 'accept', content: { decision: 'allow_once' } }));
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'asker', task: 'allowed' } })).structuredContent as Structured;
    await close();
    expect(out.success).toBe(true);
    expect(out.result).toContain('made-allowed');
    expect(existsSync(join(dirOf(), 'allowed.txt'))).toBe(true);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('Agent asker asks to use Bash');
    expect(shown[0]).toContain('command: touch allowed.txt && echo made-allowed');
    expect(await other.approvals(out.job_id)).toEqual([
      expect.objectContaining({ toolName: 'Bash', input: expect.objectContaining({ command: 'touch allowed.txt && echo made-allowed' }), decision: 'allow_once', decidedBy: 'caller', how: 'elicitation' }),
    ]);
    expect((await other.status(out.job_id)).progress.tail.join('\n')).toContain('Bash');
  }, 90_000);

  it('asks a 2026-07-28 caller in input_required rounds (the v2 SDK client answers the form), and the command runs on the worker', async () => {
    const client = new Client2026({ name: 'pool-rounds-test', version: '1' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const shown: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      shown.push((request.params as { message: string }).message);
      return { action: 'accept', content: { decision: 'allow_once' } };
    });
    await client.connect(new Stdio2026({ command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: callerEnv, stderr: 'ignore' }));
    try {
      const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'asker', task: 'rounds' } })).structuredContent as Structured;
      expect(shown).toHaveLength(1);
      expect(shown[0]).toContain('command: touch rounds.txt && echo made-rounds');
      expect(out.result).toContain('made-rounds');
      expect(existsSync(join(dirOf(), 'rounds.txt'))).toBe(true);
      expect(await other.approvals(out.job_id)).toEqual([expect.objectContaining({ decision: 'allow_once', decidedBy: 'caller' })]);
    } finally {
      await client.close();
    }
  }, 90_000);

  it('denied by the caller, the command does not run and the result lists the denial', async () => {
    const { client, close } = await connect(async () => ({ action: 'decline' }));
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'asker', task: 'denied' } })).structuredContent as Structured;
    await close();
    expect(existsSync(join(dirOf(), 'denied.txt'))).toBe(false);
    const job = await other.status(out.job_id);
    expect(job.result?.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Bash' })]);
    expect(await other.approvals(out.job_id)).toEqual([expect.objectContaining({ decision: 'deny', decidedBy: 'caller', how: 'elicitation' })]);
  }, 90_000);

  it('denies a request nobody answers once the worker\'s approval_timeout has passed', async () => {
    const { client, close } = await connect(() => new Promise(() => {}));
    const out = (await client.callTool({ name: 'dispatch', arguments: { agent: 'quick', task: 'unanswered' } })).structuredContent as Structured;
    await close();
    expect(existsSync(join(dirOf(), 'unanswered.txt'))).toBe(false);
    expect(await other.approvals(out.job_id)).toEqual([expect.objectContaining({ decision: 'deny', decidedBy: 'timeout' })]);
  }, 90_000);

  it('a synchronous call whose client cannot elicit shows the request in its progress; dispatch_reply "allow always" adds the rule on the worker\'s host', async () => {
    const { client, close } = await connect();
    const { structured, progress, answered } = await dispatchAndReply(client, { agent: 'asker', task: 'replied' }, 'allow_always');
    const out = structured as Structured;
    await close();
    expect(progress.some((line) => line.includes('input required: approve Bash: touch replied.txt'))).toBe(true);
    expect(answered).toMatchObject({ outcome: 'decided', decision: 'allow_always', decided_by: 'tool' });
    expect(out.result).toContain('made-replied');
    // The agent is defined on the worker's host: the rule goes into that agents.yaml, and the history says so.
    expect(readFileSync(join(worker.root, 'agents.yaml'), 'utf8')).toContain('Bash(touch replied.txt && echo made-replied)');
    expect(await other.approvals(out.job_id)).toEqual([
      expect.objectContaining({ decision: 'allow_always', decidedBy: 'tool', note: expect.stringContaining('added Bash(touch replied.txt && echo made-replied) to allowed_tools of agent asker') }),
    ]);
  }, 90_000);

  it('a background job waits in input_required; another pool client cannot answer, `agent-dispatch jobs approve` can, and the job finishes', async () => {
    const { client, close } = await connect();
    const started = (await client.callTool({ name: 'dispatch_async', arguments: { agent: 'asker', task: 'background' } })).structuredContent as { job_id: string };
    const status = await statusWhenAsking(client, started.job_id);
    expect(status.status).toBe('input_required');
    const [pending] = status.pending_requests as { request_id: string; tool: string; shown: string }[];
    expect(pending).toMatchObject({ tool: 'Bash', shown: 'command: touch background.txt && echo made-background' });
    expect((await other.jobs({ limit: 5 })).find((j) => j.id === started.job_id)?.approvalsPending).toBe(1);
    // A pool client without the dispatching side's answer key is refused.
    await expect(other.reply(started.job_id, pending!.request_id, { decision: 'allow_once', decidedBy: 'tool', how: 'dispatch_reply' })).rejects.toThrow(/Only the side that dispatched/);
    const approved = await cli(['jobs', 'approve', started.job_id.slice(0, 8)]);
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toContain('allow_once');
    const done = await other.wait(started.job_id, 60_000);
    await close();
    expect(done.job.status).toBe('done');
    expect(done.job.result?.text).toContain('made-background');
    expect(existsSync(join(dirOf(), 'background.txt'))).toBe(true);
    expect(await other.approvals(started.job_id)).toEqual([expect.objectContaining({ decision: 'allow_once', decidedBy: 'cli', how: 'jobs approve' })]);
  }, 90_000);
});
