// The approval broker over a book other than the local store (what a pool worker uses), in process: the relay's
// side is a socket client sending one line with the run's secret, as `agent-dispatch __approval-relay` does.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalBook } from '../../../src/jobs/approvals/book.js';
import { openApprovalBroker, type ApprovalBroker, type RelayReply } from '../../../src/jobs/approvals/broker.js';
import { APPROVAL_SECRET_VAR, APPROVAL_SOCKET_VAR, type ApprovalAnswer, type ApprovalRequest } from '../../../src/shared/approvals.js';
import { silentLogger } from '../../../src/shared/log.js';

const dirs: string[] = [];
const brokers: ApprovalBroker[] = [];
afterEach(() => {
  brokers.splice(0).forEach((b) => b.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

// A book in memory; `answer` decides from outside, as another process writing to Redis would.
function memoryBook() {
  const requests = new Map<string, ApprovalRequest>();
  const book: ApprovalBook = {
    raise: async (input) => {
      const request: ApprovalRequest = { id: `0000000${requests.size}`, jobId: 'job1', agent: 'api', toolName: input.toolName, input: input.input, askedAt: Date.now(), expiresAt: input.expiresAt };
      requests.set(request.id, request);
      return request;
    },
    read: async (id) => requests.get(id),
    decide: async (id, answer) => {
      const request = requests.get(id)!;
      if (request.decision !== undefined) return { outcome: 'already_decided', request };
      Object.assign(request, { decision: answer.decision, decidedBy: answer.decidedBy, how: answer.how });
      return { outcome: 'decided', request };
    },
  };
  const answer = (id: string, a: ApprovalAnswer) => Object.assign(requests.get(id)!, a);
  return { book, requests, answer };
}

async function open(book: ApprovalBook, options: { pollMs: number; timeoutMs?: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'ad-broker-'));
  dirs.push(dir);
  const broker = await openApprovalBroker({ book, jobId: 'job1', dir, relayCommand: ['agent-dispatch'], timeoutMs: options.timeoutMs ?? 60_000, logger: silentLogger, pollMs: options.pollMs });
  brokers.push(broker);
  return broker;
}

// What the relay does: one line with the secret and the request, one line back.
function ask(broker: ApprovalBroker, command: string): Promise<RelayReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(broker.relay.env[APPROVAL_SOCKET_VAR]!);
    let reply = '';
    socket.on('connect', () => socket.write(`${JSON.stringify({ secret: broker.relay.env[APPROVAL_SECRET_VAR], tool_name: 'Bash', input: { command } })}\n`));
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(JSON.parse(reply) as RelayReply));
  });
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
};

describe('the approval broker over another book', () => {
  it('does not put its socket in an approvals folder that others can enter, but in a private temp folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ad-broker-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'approvals'), { mode: 0o777 });
    chmodSync(join(dir, 'approvals'), 0o777);
    const broker = await openApprovalBroker({ book: memoryBook().book, jobId: 'job1', dir, relayCommand: ['agent-dispatch'], timeoutMs: 60_000, logger: silentLogger });
    brokers.push(broker);
    const socket = broker.relay.env[APPROVAL_SOCKET_VAR]!;
    expect(socket.startsWith(join(dir, 'approvals'))).toBe(false);
    expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);
  });

  it('takes an answer written from outside as soon as check() is called, without waiting for its poll', async () => {
    const { book, requests, answer } = memoryBook();
    // A poll far longer than the test's timeout: only check() can deliver the answer.
    const broker = await open(book, { pollMs: 3_600_000 });
    const reply = ask(broker, 'ls');
    await until(() => requests.size === 1);
    answer('00000000', { decision: 'allow_once', decidedBy: 'cli', how: 'jobs approve' });
    broker.check();
    expect(await reply).toEqual({ behavior: 'allow', updatedInput: { command: 'ls' } });
  });

  it('still denies on its own clock when the book cannot be read or written (Redis away)', async () => {
    const { book } = memoryBook();
    const broken: ApprovalBook = { raise: book.raise, read: () => Promise.reject(new Error('connection lost')), decide: () => Promise.reject(new Error('connection lost')) };
    const broker = await open(broken, { pollMs: 10, timeoutMs: 50 });
    const reply = await ask(broker, 'ls');
    expect(reply.behavior).toBe('deny');
  });

  it('denies by timeout through the book, saying nobody answered', async () => {
    const { book, requests } = memoryBook();
    const broker = await open(book, { pollMs: 10, timeoutMs: 50 });
    expect(await ask(broker, 'ls')).toEqual({ behavior: 'deny', message: expect.stringContaining('Nobody answered') });
    expect(requests.get('00000000')).toMatchObject({ decision: 'deny', decidedBy: 'timeout' });
  });
});

describe('a broker for a run on an SSH host', () => {
  it('serves its relay over HTTP with its own socket and secret, hands the endpoint to the runner, and ends it on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ad-broker-'));
    dirs.push(dir);
    const served: Record<string, string>[] = [];
    let closed = 0;
    const broker = await openApprovalBroker({
      book: memoryBook().book,
      jobId: 'job1',
      dir,
      relayCommand: ['agent-dispatch'],
      timeoutMs: 60_000,
      logger: silentLogger,
      serveRemote: async (env) => {
        served.push(env);
        return { socketPath: '/private/mcp.sock', env: { AGENT_DISPATCH_APPROVAL_TOKEN: 'tok' }, close: async () => void (closed += 1) };
      },
    });
    expect(served).toEqual([broker.relay.env]);
    expect(broker.relay.remote).toEqual({ socketPath: '/private/mcp.sock', env: { AGENT_DISPATCH_APPROVAL_TOKEN: 'tok' } });
    broker.close();
    expect(closed).toBe(1);
  });
});
