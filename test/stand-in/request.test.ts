import { describe, expect, it } from 'vitest';
import { allText, describeRequest, promptTextOf } from '../../src/stand-in/request.js';

const http = { seq: 1, method: 'POST', url: '/v1/messages?beta=true', headers: {} };
const reminder = (s: string) => ({ type: 'text', text: `<system-reminder>\n${s}\n</system-reminder>` });
const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
const toolResult = (id: string, content: unknown, isError = false) => ({ type: 'tool_result', tool_use_id: id, content, is_error: isError });

describe('promptTextOf', () => {
  it.each([
    ['a plain string', { role: 'user', content: 'hello' }, 'hello'],
    ['text after reminders', user(reminder('CLAUDE.md stuff'), { type: 'text', text: 'do it' }), 'do it'],
    ['a reminder inline with text', user({ type: 'text', text: '<system-reminder>x</system-reminder>\nreal ask' }), 'real ask'],
    ['only tool results', user(toolResult('t1', 'out')), ''],
    ['an assistant message', assistant({ type: 'text', text: 'hi' }), ''],
    ['a system message', { role: 'system', content: '# Environment' }, ''],
  ])('reads %s', (_title, message, expected) => {
    expect(promptTextOf(message)).toBe(expected);
  });
});

describe('describeRequest', () => {
  it('finds the prompt, the turn and the newest tool results', () => {
    const body = {
      model: 'claude-opus-5-5',
      stream: true,
      max_tokens: 128000,
      system: [{ type: 'text', text: 'billing' }, { type: 'text', text: 'You are a Claude agent' }],
      tools: [{ name: 'Bash' }, { name: 'Write' }],
      messages: [
        user(reminder('Contents of /p/CLAUDE.md'), { type: 'text', text: 'run two tools' }),
        { role: 'system', content: [{ type: 'text', text: '# Environment' }] },
        assistant({ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'ls' } }),
        user(toolResult('t1', 'FIRST')),
        assistant({ type: 'tool_use', id: 't2', name: 'Read', input: {} }),
        user(toolResult('t2', [{ type: 'text', text: 'SECOND' }], true)),
      ],
    };
    const r = describeRequest(http, body);
    expect(r).toMatchObject({
      path: '/v1/messages',
      query: 'beta=true',
      model: 'claude-opus-5-5',
      stream: true,
      maxTokens: 128000,
      system: 'billing\n\nYou are a Claude agent',
      tools: ['Bash', 'Write'],
      prompt: 'run two tools',
      promptIndex: 0,
      turnIndex: 2,
      toolResults: [{ toolUseId: 't2', content: 'SECOND', isError: true }],
    });
    expect(r.allToolResults.map((t) => t.content)).toEqual(['FIRST', 'SECOND']);
    expect(allText(r)).toContain('Contents of /p/CLAUDE.md');
    expect(allText(r)).toContain('SECOND');
  });

  it('counts turns from the newest prompt, so a resumed session starts again at turn 0', () => {
    const body = {
      messages: [user({ type: 'text', text: 'ALPHA' }), assistant({ type: 'text', text: 'first reply' }), user(reminder('r'), { type: 'text', text: 'BETA' })],
    };
    expect(describeRequest(http, body)).toMatchObject({ prompt: 'BETA', promptIndex: 2, turnIndex: 0 });
  });

  it('copes with a body that is not a messages request', () => {
    expect(describeRequest({ ...http, url: '/v1/other' }, undefined)).toMatchObject({ path: '/v1/other', query: '', prompt: '', promptIndex: -1, turnIndex: 0, tools: [] });
  });
});
