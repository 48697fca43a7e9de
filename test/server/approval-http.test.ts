// The approval relay over HTTP for runs on SSH hosts: who may call it, and that it decides through its own run's
// broker (a stand-in broker socket here; test/e2e/approvals-ssh.test.ts drives the real CLI through it).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayRequestProblem, serveApprovalRelayHttp } from '../../src/server/approval-http.js';
import { decideThroughBroker } from '../../src/server/approval-relay.js';
import { APPROVAL_SECRET_VAR, APPROVAL_SOCKET_VAR, APPROVAL_TOKEN_VAR } from '../../src/shared/approvals.js';

describe('relayRequestProblem', () => {
  const ok = { authorization: 'Bearer tok', host: '127.0.0.1:40000', origin: null };
  it.each([
    ['the run\'s token from the host\'s loopback', ok, '/mcp', undefined],
    ['localhost and ::1 by name', { ...ok, host: 'localhost:1' }, '/mcp', undefined],
    ['[::1]', { ...ok, host: '[::1]:40000' }, '/mcp', undefined],
    ['no token', { ...ok, authorization: null }, '/mcp', 401],
    ['another token', { ...ok, authorization: 'Bearer other' }, '/mcp', 401],
    ['a token without the Bearer scheme', { ...ok, authorization: 'tok' }, '/mcp', 401],
    ['a browser (Origin)', { ...ok, origin: 'http://127.0.0.1:40000' }, '/mcp', 403],
    ['a foreign Host (DNS rebinding)', { ...ok, host: 'evil.example:40000' }, '/mcp', 403],
    ['another path', ok, '/', 404],
  ])('%s → %s', (_what, headers, path, status) => {
    expect(relayRequestProblem(headers, path, 'tok')?.status).toBe(status);
  });
});

// A stand-in broker: answers each JSON line with the decision, and remembers the secrets it was given.
let brokerDir: string;
let broker: Server;
const seen: string[] = [];
beforeAll(async () => {
  brokerDir = mkdtempSync(join(tmpdir(), 'ad-broker-test-'));
  broker = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.once('data', (line: string) => {
      const message = JSON.parse(line) as { secret: string; input: { command: string } };
      seen.push(message.secret);
      socket.end(`${JSON.stringify({ behavior: 'allow', updatedInput: message.input })}\n`);
    });
  });
  await new Promise<void>((resolve) => broker.listen(join(brokerDir, 'b.sock'), resolve));
});
afterAll(() => {
  broker.close();
  rmSync(brokerDir, { recursive: true, force: true });
});

// One POST over the endpoint's Unix socket.
function post(socketPath: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/mcp', method: 'POST', headers: { host: '127.0.0.1:40000', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'decide', arguments: { tool_name: 'Bash', input: { command: 'ls' } } } };

describe('serveApprovalRelayHttp', () => {
  it('listens on a 0600 socket in a private folder, decides through its own run\'s broker only with its token, and leaves nothing when closed', async () => {
    const a = await serveApprovalRelayHttp({ [APPROVAL_SOCKET_VAR]: join(brokerDir, 'b.sock'), [APPROVAL_SECRET_VAR]: 'secret-a' });
    const b = await serveApprovalRelayHttp({ [APPROVAL_SOCKET_VAR]: join(brokerDir, 'b.sock'), [APPROVAL_SECRET_VAR]: 'secret-b' });
    try {
      expect(statSync(dirname(a.socketPath)).mode & 0o777).toBe(0o700);
      expect(statSync(a.socketPath).mode & 0o777).toBe(0o600);
      const tokenA = a.env[APPROVAL_TOKEN_VAR]!;
      expect(tokenA).toMatch(/^[0-9a-f]{64}$/);
      expect((await post(a.socketPath, call, {})).status).toBe(401);
      // B's token opens B only: a request never reaches another run's broker.
      expect((await post(a.socketPath, call, { authorization: `Bearer ${b.env[APPROVAL_TOKEN_VAR]}` })).status).toBe(401);
      expect(seen).toEqual([]);
      const answered = await post(a.socketPath, call, { authorization: `Bearer ${tokenA}` });
      expect(answered.status).toBe(200);
      expect(answered.text).toContain(JSON.stringify(JSON.stringify({ behavior: 'allow', updatedInput: { command: 'ls' } })).slice(1, -1));
      expect(seen).toEqual(['secret-a']);
    } finally {
      await a.close();
      await b.close();
    }
    expect(existsSync(dirname(a.socketPath))).toBe(false);
  });

  it('denies when its broker is gone, so the CLI gets an answer and the run goes on', async () => {
    const relay = await serveApprovalRelayHttp({ [APPROVAL_SOCKET_VAR]: join(brokerDir, 'gone.sock'), [APPROVAL_SECRET_VAR]: 's' });
    try {
      const answered = await post(relay.socketPath, call, { authorization: `Bearer ${relay.env[APPROVAL_TOKEN_VAR]}` });
      expect(answered.status).toBe(200);
      expect(answered.text).toContain('could not reach the approval broker');
      expect(answered.text).toContain('\\"behavior\\":\\"deny\\"');
    } finally {
      await relay.close();
    }
  });
});

describe('decideThroughBroker', () => {
  it('sends progress while the broker has not decided, and stops once it has', async () => {
    const beats: number[] = [];
    let answer!: () => void;
    const twoBeats = new Promise<void>((resolve) => (answer = resolve));
    const slow = createServer((socket) => void socket.once('data', () => void twoBeats.then(() => socket.end(`${JSON.stringify({ behavior: 'allow', updatedInput: {} })}\n`))));
    const path = join(brokerDir, 'slow.sock');
    await new Promise<void>((resolve) => slow.listen(path, resolve));
    try {
      const notify = async (n: { params: { progress: number; progressToken: string | number } }) => {
        expect(n.params.progressToken).toBe('tok-1');
        beats.push(n.params.progress);
        if (beats.length === 2) answer();
      };
      const result = await decideThroughBroker({ [APPROVAL_SOCKET_VAR]: path, [APPROVAL_SECRET_VAR]: 's' }, { tool_name: 'Bash', input: {} }, { token: 'tok-1', notify, everyMs: 10 });
      expect(result.content[0]!.text).toContain('"allow"');
      const after = beats.length;
      await new Promise((r) => setTimeout(r, 50));
      expect(beats.slice(0, 2)).toEqual([1, 2]);
      expect(beats.length).toBe(after);
    } finally {
      slow.close();
    }
  });

  it('sends nothing when the call carries no progress token', async () => {
    let sent = 0;
    const result = await decideThroughBroker({ [APPROVAL_SOCKET_VAR]: join(brokerDir, 'b.sock'), [APPROVAL_SECRET_VAR]: 's' }, { tool_name: 'Bash', input: { command: 'ls' } }, { token: undefined, notify: async () => void (sent += 1), everyMs: 1 });
    expect(result.content[0]!.text).toContain('"allow"');
    expect(sent).toBe(0);
  });
});
