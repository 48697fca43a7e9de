import { describe, expect, it } from 'vitest';
import { scriptFromJson } from '../../src/stand-in/json-script.js';

describe('scriptFromJson', () => {
  it('converts matches, turns, tools, failures and options', () => {
    const script = scriptFromJson({
      rules: [
        { match: { regex: '^hel+o', flags: 'i' }, reply: [{ text: 'using', tools: [{ name: 'Bash', input: { command: 'ls' } }] }, { text: 'bye', chunks: 2 }], repeat: true },
        { name: 'boom', match: 'boom', fail: { status: 529, times: 1, retryAfter: 2 } },
      ],
      defaultReply: 'dflt',
      usage: { input_tokens: 7 },
    });
    expect(script.rules[0]?.match).toEqual(/^hel+o/i);
    expect(script.rules[0]?.reply).toEqual([
      { kind: 'turn', blocks: [{ type: 'text', text: 'using' }, { type: 'tool_use', name: 'Bash', input: { command: 'ls' } }] },
      { kind: 'turn', blocks: [{ type: 'text', text: 'bye' }], chunks: 2 },
    ]);
    expect(script.rules[0]?.repeat).toBe(true);
    expect(script.rules[1]).toMatchObject({ name: 'boom', match: 'boom', fail: [{ kind: 'failure', status: 529, times: 1, retryAfter: 2 }] });
    expect(script.defaultReply).toEqual([{ kind: 'turn', blocks: [{ type: 'text', text: 'dflt' }] }]);
    expect(script.usage).toEqual({ input_tokens: 7 });
  });

  it.each([
    [[], /top level/],
    [{ rules: {} }, /rules: must be a list/],
    [{ rules: [1] }, /rules\[0\]: must be an object/],
    [{ rules: [{ match: 5 }] }, /rules\[0\]\.match/],
    [{ rules: [{ match: { regex: '(' } }] }, /bad regex/],
    [{ rules: [{ reply: {} }] }, /rules\[0\]\.reply\[0\]: a turn needs "text" or "tools"/],
    [{ rules: [{ reply: { tools: [{ input: {} }] } }] }, /tools\[0\]: needs a "name"/],
    [{ rules: [{ fail: { status: 200 } }] }, /400\.\.599/],
    [{ rules: [{ fail: 'x' }] }, /rules\[0\]\.fail\[0\]/],
  ])('rejects %j with an error naming the entry', (input, message) => {
    expect(() => scriptFromJson(input)).toThrow(message);
  });
});
