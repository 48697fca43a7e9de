// serveStdio in process, over in-memory streams: log lines reach the client, and a stop signal or stdin EOF
// stops every run in flight before the server resolves.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { LoggingMessageNotificationSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { serveStdio } from '../../src/server/stdio.js';
import { createLogger } from '../../src/shared/log.js';
import { fakeCatalog, fakeDispatcher, runResult } from './fakes.js';

// A client transport over two streams (the server's stdin and stdout).
function streamTransport(toServer: PassThrough, fromServer: PassThrough): Transport {
  const buffer = new ReadBuffer();
  const transport: Transport = {
    async start() {
      fromServer.on('data', (chunk: Buffer) => {
        buffer.append(chunk);
        for (let m = buffer.readMessage(); m; m = buffer.readMessage()) transport.onmessage?.(m);
      });
    },
    async send(message: JSONRPCMessage) {
      toServer.write(serializeMessage(message));
    },
    async close() {
      toServer.end();
    },
  };
  return transport;
}

async function start() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const signals = new EventEmitter();
  const logger = createLogger({ write: () => {} });
  const dispatcher = fakeDispatcher();
  const aborted: string[] = [];
  dispatcher.abortAll = async (reason: string) => void aborted.push(reason);
  const served = serveStdio({ dispatcher, catalog: fakeCatalog(), logger }, { stdin, stdout, signals: signals as unknown as NodeJS.Process });
  const client = new Client({ name: 't', version: '1' });
  await client.connect(streamTransport(stdin, stdout));
  return { client, served, signals, logger, aborted, stdin };
}

describe('serveStdio', () => {
  it('forwards log lines to the client as notifications/message', async () => {
    const { client, logger, signals, served } = await start();
    const messages: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params));
    logger.warn('config reloaded with 1 warning');
    await new Promise((r) => setTimeout(r, 20));
    expect(messages).toEqual([{ level: 'warning', logger: 'agent-dispatch', data: 'config reloaded with 1 warning' }]);
    signals.emit('SIGTERM', 'SIGTERM');
    await served;
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'])('stops every run in flight on %s, then resolves', async (signal) => {
    const { signals, served, aborted } = await start();
    signals.emit(signal, signal);
    expect(await served).toEqual({ reason: signal });
    expect(aborted).toEqual([`session ended (${signal})`]);
  });

  it('stops every run in flight when stdin ends', async () => {
    const { served, aborted, stdin } = await start();
    stdin.end();
    expect(await served).toEqual({ reason: 'stdin closed' });
    expect(aborted).toHaveLength(1);
  });

  it('drops a message over 10 MiB with an error answer and a log line, and keeps serving the call in flight', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const signals = new EventEmitter();
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => void lines.push(line) });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const dispatcher = fakeDispatcher(async (req) => (await gate, runResult({ text: `answer to ${req.task}` })));
    const served = serveStdio({ dispatcher, catalog: fakeCatalog(), logger }, { stdin, stdout, signals: signals as unknown as NodeJS.Process });
    const client = new Client({ name: 't', version: '1' });
    const transport = streamTransport(stdin, stdout);
    await client.connect(transport);
    const answers: JSONRPCMessage[] = [];
    const deliver = transport.onmessage;
    transport.onmessage = (m) => (answers.push(m), deliver?.(m));
    const call = client.callTool({ name: 'dispatch', arguments: { agent: 'alpha', task: 'slow one' } });
    await new Promise((r) => setTimeout(r, 50));
    const huge = { method: 'tools/call', params: { name: 'dispatch', arguments: { agent: 'alpha', task: 'x'.repeat(11 * 1024 * 1024) } }, jsonrpc: '2.0', id: 999 };
    stdin.write(serializeMessage(huge as JSONRPCMessage));
    await expect.poll(() => answers.find((m) => 'id' in m && m.id === 999)).toMatchObject({ error: { code: -32600, message: expect.stringContaining('over the 10.0 MiB limit') } });
    release();
    expect(await call).toMatchObject({ structuredContent: { result: 'answer to slow one' } });
    expect((await client.callTool({ name: 'list_agents', arguments: {} })).isError).toBeFalsy();
    expect(lines.join('')).toContain('dropped a 11.0 MiB message (request 999): over the 10.0 MiB limit');
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await served).toEqual({ reason: 'SIGTERM' });
    expect(lines.join('')).toContain('MCP session over stdio ended: SIGTERM');
  });
});
