import { describe, expect, it } from 'vitest';
import { LineBuffer, parseLine, type FramedLine } from '../../src/runner/stream.js';

function drain(buffer: LineBuffer): FramedLine[] {
  const out: FramedLine[] = [];
  for (let line = buffer.next(); line !== null; line = buffer.next()) out.push(line);
  return out;
}

function feed(chunks: (string | Buffer)[], maxLineBytes?: number): FramedLine[] {
  const buffer = new LineBuffer(maxLineBytes === undefined ? {} : { maxLineBytes });
  const out: FramedLine[] = [];
  for (const chunk of chunks) {
    buffer.append(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    out.push(...drain(buffer));
  }
  buffer.end();
  return [...out, ...drain(buffer)];
}

describe('parseLine', () => {
  it.each([
    ['{"a":1}', { kind: 'json', value: { a: 1 } }],
    ['  {"a":1}  ', { kind: 'json', value: { a: 1 } }],
    ['{"a":1}\r', { kind: 'json', value: { a: 1 } }],
    ['[1,2]', { kind: 'text', text: '[1,2]' }],
    ['{not json', { kind: 'text', text: '{not json' }],
    ['hello', { kind: 'text', text: 'hello' }],
    ['null', { kind: 'text', text: 'null' }],
    ['', null],
    ['   ', null],
  ])('classifies %j', (raw, expected) => {
    expect(parseLine(raw)).toEqual(expected);
  });
});

describe('LineBuffer', () => {
  it('returns nothing until a line is complete', () => {
    const buffer = new LineBuffer();
    buffer.append(Buffer.from('{"type":"sys'));
    expect(buffer.next()).toBeNull();
    buffer.append(Buffer.from('tem"}\n'));
    expect(buffer.next()).toEqual({ kind: 'json', value: { type: 'system' } });
    expect(buffer.next()).toBeNull();
  });

  it('splits several lines in one chunk', () => {
    expect(feed(['{"a":1}\n{"b":2}\n\n{"c":3}\n'])).toEqual([
      { kind: 'json', value: { a: 1 } },
      { kind: 'json', value: { b: 2 } },
      { kind: 'json', value: { c: 3 } },
    ]);
  });

  it('flushes a last line that has no newline at end()', () => {
    expect(feed(['{"a":1}\n{"b":2}'])).toEqual([
      { kind: 'json', value: { a: 1 } },
      { kind: 'json', value: { b: 2 } },
    ]);
  });

  it('keeps a multi-byte character that is split across chunks', () => {
    const bytes = Buffer.from('{"t":"héllo €"}\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside the euro sign
    expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ kind: 'json', value: { t: 'héllo €' } }]);
  });

  it('survives every possible split point of a stream', () => {
    const text = '{"a":"ü"}\nnoise\n{"b":[1,2]}\n';
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(feed([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([
        { kind: 'json', value: { a: 'ü' } },
        { kind: 'text', text: 'noise' },
        { kind: 'json', value: { b: [1, 2] } },
      ]);
    }
  });

  it('turns invalid UTF-8 into replacement characters inside its own line only', () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x41, 0x0a]);
    expect(feed([garbage, '{"ok":true}\n'])).toEqual([
      { kind: 'text', text: '\uFFFD\uFFFDA' },
      { kind: 'json', value: { ok: true } },
    ]);
  });

  it('reports a line over the cap as oversized and recovers on the next line', () => {
    const long = 'x'.repeat(50);
    expect(feed([`{"a":1}\n${long.slice(0, 20)}`, `${long.slice(20)}\n{"b":2}\n`], 30)).toEqual([
      { kind: 'json', value: { a: 1 } },
      { kind: 'oversized', bytes: 50 },
      { kind: 'json', value: { b: 2 } },
    ]);
  });

  it('accepts a line exactly at the cap', () => {
    expect(feed(['{"a":"12345"}\n'], 13)).toEqual([{ kind: 'json', value: { a: '12345' } }]);
  });

  it('reports an oversized line that ends without a newline', () => {
    expect(feed(['y'.repeat(40)], 10)).toEqual([{ kind: 'oversized', bytes: 40 }]);
  });
});
