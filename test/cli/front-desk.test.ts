// The front desk of `serve`: which messages it answers from the build's handshake manifest, and how.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createFrontDesk, dropReplayAnswer, parseManifest, REPLAY_ID } from '../../src/cli/front-desk.js';
import type { HandshakeManifest } from '../../src/server/handshake.js';

const manifest: HandshakeManifest = {
  version: '9.9.9',
  supportedProtocolVersions: ['2025-11-25', '2025-06-18'],
  latestProtocolVersion: '2025-11-25',
  initialize: { capabilities: { tools: {} }, serverInfo: { name: 'agent-dispatch', version: '9.9.9' } },
  toolsList: { tools: [{ name: 'list_agents', inputSchema: { type: 'object' } }] },
  methods: ['initialize', 'ping', 'tools/list', 'tools/call'],
};

function desk() {
  const sent: any[] = [];
  return { sent, desk: createFrontDesk(manifest, (m) => sent.push(m)) };
}
const msg = (value: object) => JSON.stringify({ jsonrpc: '2.0', ...value });
const init = (protocolVersion: unknown) => msg({ id: 1, method: 'initialize', params: { protocolVersion, capabilities: { roots: {} }, clientInfo: { name: 'c', version: '1' } } });

describe('createFrontDesk', () => {
  it.each([
    ['a supported version', '2025-06-18', '2025-06-18'],
    ['an unknown version', '1999-01-01', '2025-11-25'],
  ])('answers initialize asking for %s with protocol %s and replays it under its own id', (_title, asked, answered) => {
    const d = desk();
    const replay = d.desk.intercept(init(asked));
    expect(d.sent).toEqual([{ jsonrpc: '2.0', id: 1, result: { protocolVersion: answered, ...manifest.initialize } }]);
    expect(JSON.parse(replay!)).toMatchObject({ id: REPLAY_ID, method: 'initialize', params: { protocolVersion: asked, capabilities: { roots: {} } } });
    expect(replay!.endsWith('\n')).toBe(true);
  });

  it.each([
    ['tools/list', msg({ id: 2, method: 'tools/list' }), { jsonrpc: '2.0', id: 2, result: manifest.toolsList }],
    ['ping', msg({ id: 'p', method: 'ping' }), { jsonrpc: '2.0', id: 'p', result: {} }],
    ['server/discover (unknown to the server)', msg({ id: 0, method: 'server/discover', params: {} }), { jsonrpc: '2.0', id: 0, error: { code: -32601, message: 'Method not found' } }],
  ])('answers %s itself and passes nothing on', (_title, line, expected) => {
    const d = desk();
    expect(d.desk.intercept(line)).toBe('');
    expect(d.sent).toEqual([expected]);
  });

  it.each([
    ['a tool call', msg({ id: 3, method: 'tools/call', params: { name: 'list_agents', arguments: {} } })],
    ['a notification', msg({ method: 'notifications/initialized' })],
    ['a second tools/list page', msg({ id: 4, method: 'tools/list', params: { cursor: 'x' } })],
    ['an initialize without capabilities', msg({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', clientInfo: {} } })],
    ['not JSON', '{nope'],
    ['a message without jsonrpc 2.0', JSON.stringify({ id: 1, method: 'ping' })],
  ])('leaves %s to the real server', (_title, line) => {
    const d = desk();
    expect(d.desk.intercept(line)).toBeUndefined();
    expect(d.sent).toEqual([]);
  });

  it('answers nothing once closed', () => {
    const d = desk();
    d.desk.close();
    expect(d.desk.intercept(msg({ id: 2, method: 'tools/list' }))).toBeUndefined();
  });
});

describe('parseManifest', () => {
  it.each([
    ['missing', undefined, false],
    ['not JSON', '{', false],
    ['from another version', JSON.stringify({ ...manifest, version: '0.0.1' }), false],
    ['without tools', JSON.stringify({ ...manifest, toolsList: null }), false],
    ['from this version', JSON.stringify(manifest), true],
  ])('accepts a manifest that is %s: %s', (_title, text, ok) => {
    expect(parseManifest(text, '9.9.9') !== undefined).toBe(ok);
  });
});

describe('dropReplayAnswer', () => {
  it("drops the real server's answer to the replayed initialize and passes everything else", async () => {
    const target = new PassThrough();
    let seen = '';
    target.on('data', (c: Buffer) => (seen += c.toString()));
    const out = dropReplayAnswer(target);
    const write = (line: string) => new Promise<void>((resolve) => out.write(line, () => resolve()));
    await write(`${msg({ id: REPLAY_ID, result: { protocolVersion: '2025-11-25' } })}\n`);
    await write(`${msg({ id: 7, result: { text: `mentions ${REPLAY_ID}` } })}\n`);
    await write(`${msg({ method: 'notifications/message', params: {} })}\n`);
    expect(seen.split('\n').filter(Boolean).map((l) => JSON.parse(l).id ?? 'notification')).toEqual([7, 'notification']);
  });
});
