// `--session-id` then `--resume`: the second run sends the first run's turns to the model under the same session.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentText, text } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';

let bb: Backbone;
beforeAll(async () => {
  bb = await createBackbone({
    rules: [
      { match: 'ALPHA', reply: text('first reply REMEMBER_ME') },
      { match: 'BETA', reply: text('second reply') },
    ],
  });
});
afterAll(() => bb.cleanup());

describe('sessions through the stand-in model', () => {
  it('resumes a session started with --session-id and sends the earlier turns to the model', async () => {
    const dir = bb.project('session-agent', { claudeMd: 'session agent' });
    const sessionId = randomUUID();
    const first = await bb.claude(['-p', 'first prompt ALPHA', '--session-id', sessionId, '--output-format', 'json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ session_id: sessionId, result: 'first reply REMEMBER_ME' });
    expect(bb.model.lastRequest?.messages.filter((m) => m.role === 'assistant')).toEqual([]);

    const second = await bb.claude(['-p', 'second prompt BETA', '--resume', sessionId, '--output-format', 'json'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.json()).toMatchObject({ session_id: sessionId, result: 'second reply' });

    const resumed = bb.model.lastRequest!;
    expect(resumed).toMatchObject({ prompt: 'second prompt BETA', turnIndex: 0 });
    const roles = resumed.messages.map((m) => m.role);
    const alpha = resumed.messages.findIndex((m) => m.role === 'user' && contentText(m.content).includes('first prompt ALPHA'));
    const earlier = resumed.messages.findIndex((m) => m.role === 'assistant' && contentText(m.content) === 'first reply REMEMBER_ME');
    expect(alpha, JSON.stringify(roles)).toBeGreaterThanOrEqual(0);
    expect(earlier).toBeGreaterThan(alpha);
    expect(resumed.promptIndex).toBeGreaterThan(earlier);
  });
});
