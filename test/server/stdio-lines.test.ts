// The line limit in front of the SDK's stdio reader: whole lines pass, an oversized one is dropped and reported
// with the id of its request when its first or last bytes show it.
import { describe, expect, it } from 'vitest';
import { limitLines, requestIdOf, type OversizeInfo } from '../../src/server/stdio-lines.js';

// Feed `chunks` through a limit of `max` bytes; collect what passes and what was dropped.
async function through(max: number, chunks: string[]) {
  const dropped: OversizeInfo[] = [];
  const stream = limitLines(max, (info) => void dropped.push(info));
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (const chunk of chunks) stream.write(Buffer.from(chunk));
  stream.end();
  await ended;
  return { passed: Buffer.concat(out).toString(), dropped };
}

describe('limitLines', () => {
  it('passes lines within the limit unchanged, however they are split', async () => {
    const { passed, dropped } = await through(20, ['{"a":1}\n{"b"', ':2}\n', '{"c":3}\n{"d":4}\n']);
    expect(passed).toBe('{"a":1}\n{"b":2}\n{"c":3}\n{"d":4}\n');
    expect(dropped).toEqual([]);
  });

  it('drops a line over the limit, reports its size and id, and passes the next line', async () => {
    const big = `{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"task":"${'x'.repeat(100)}"}}`;
    const { passed, dropped } = await through(50, [big.slice(0, 30), big.slice(30, 70), `${big.slice(70)}\n{"ok":1}\n`]);
    expect(passed).toBe('{"ok":1}\n');
    expect(dropped).toEqual([{ bytes: Buffer.byteLength(big), id: 42 }]);
  });

  it('treats a line of exactly the limit as within it', async () => {
    const { passed, dropped } = await through(10, ['0123456789\n']);
    expect(passed).toBe('0123456789\n');
    expect(dropped).toEqual([]);
  });
});

describe('requestIdOf', () => {
  it.each([
    ['id first after jsonrpc', '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"ta', 'sk":"x"}}', 7],
    ['id first', '{"id":"abc","method":"x","params":{', '}}', 'abc'],
    ['id last (the SDK client’s order)', '{"method":"tools/call","params":{"task":"', 'xx"}},"jsonrpc":"2.0","id":12}', 12],
    ['id last, then jsonrpc', '{"method":"x","params":{', '}},"id":"r-1","jsonrpc":"2.0"}\n', 'r-1'],
    ['a nested id only', '{"method":"x","params":{"task":"', '","id":5}}', null],
    ['no id at all (a notification)', '{"jsonrpc":"2.0","method":"notifications/x","params":{', '}}', null],
    ['an id inside the task text at the start', '{"method":"x","params":{"task":"{\\"id\\":3,', '"}}', null],
  ])('%s → %j', (_, head, tail, id) => expect(requestIdOf(head, tail)).toBe(id));
});
