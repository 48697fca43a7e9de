// The stdin gate of `serve`: the handshake passes at once, a tool call and everything after it wait for the services.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gateStdin, isToolCall } from '../../src/cli/stdin-gate.js';

const line = (method: string, id?: number) => `${JSON.stringify({ jsonrpc: '2.0', ...(id === undefined ? {} : { id }), method })}\n`;
const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const source = new PassThrough();
  let release!: () => void;
  const ready = new Promise<void>((resolve) => (release = resolve));
  const events: string[] = [];
  const out = gateStdin(source, { ready, onHold: () => events.push('hold') });
  let seen = '';
  out.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
  out.on('end', () => events.push('end'));
  return { source, release, events, seen: () => seen };
}

describe('isToolCall', () => {
  it.each([
    [line('tools/call', 3).trim(), true],
    [line('tools/list', 2).trim(), false],
    [line('initialize', 1).trim(), false],
    ['{"jsonrpc":"2.0","method":"tools\\/call","id":4}', true],
    ['not json', false],
    ['x'.repeat(2 * 1024 * 1024), true],
  ])('classifies %s as %s', (input, expected) => {
    expect(isToolCall(input)).toBe(expected);
  });
});

describe('gateStdin', () => {
  it('passes the handshake and tools/list at once while the services are not ready', async () => {
    const g = setup();
    g.source.write(line('initialize', 1) + line('notifications/initialized') + line('tools/list', 2));
    await tick();
    expect(g.seen()).toBe(line('initialize', 1) + line('notifications/initialized') + line('tools/list', 2));
    expect(g.events).toEqual([]);
  });

  it('holds a tool call and every later line, in order, until the services are ready', async () => {
    const g = setup();
    g.source.write(line('tools/list', 2) + line('tools/call', 3));
    g.source.write(line('notifications/cancelled') + line('ping', 4));
    await tick();
    expect(g.seen()).toBe(line('tools/list', 2));
    expect(g.events).toEqual(['hold']);
    g.release();
    await tick();
    expect(g.seen()).toBe(line('tools/list', 2) + line('tools/call', 3) + line('notifications/cancelled') + line('ping', 4));
    g.source.write(line('tools/call', 5));
    await tick();
    expect(g.seen()).toContain(line('tools/call', 5));
  });

  it('joins lines split across chunks, including a multi-byte character cut in two', async () => {
    const g = setup();
    g.release();
    await tick();
    const bytes = Buffer.from('{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"x","arguments":{"task":"héllo"}}}\n');
    const cut = bytes.indexOf(0xa9); // inside "é"
    g.source.write(bytes.subarray(0, cut));
    g.source.write(bytes.subarray(cut));
    await tick();
    expect(g.seen()).toBe(bytes.toString('utf8'));
  });

  it('ends at once on EOF when nothing is held, so the server can stop its runs', async () => {
    const g = setup();
    g.source.end(line('initialize', 1));
    await tick();
    expect(g.events).toEqual(['end']);
  });

  it('ends after the held lines when EOF comes while a call waits', async () => {
    const g = setup();
    g.source.end(line('tools/call', 3));
    await tick();
    expect(g.events).toEqual(['hold']);
    g.release();
    await tick();
    expect(g.events).toEqual(['hold', 'end']);
    expect(g.seen()).toBe(line('tools/call', 3));
  });

  it('releases the held lines when the services failed to start (the tools then report why)', async () => {
    const source = new PassThrough();
    const out = gateStdin(source, { ready: Promise.reject(new Error('no store')) });
    let seen = '';
    out.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
    source.write(line('tools/call', 3));
    await tick();
    expect(seen).toBe(line('tools/call', 3));
  });
});
