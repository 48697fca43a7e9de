// The real Codex CLI (0.169.0) through the runner, offline against the Responses API stand-in.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/types.js';
import { allText, codexShell, dialectFail, text } from '../support/fake-openai-responses.js';
import { createRig, sharedRules, type RuntimeRig } from './support.js';

let rig: RuntimeRig;
beforeAll(async () => {
  rig = await createRig('codex', {
    rules: [
      ...sharedRules(codexShell),
      { match: 'too busy', fail: dialectFail(429, { message: 'Rate limit reached', retryAfterMs: 0 }) },
      { match: 'as json', reply: text('{"answer": 42}') },
    ],
    defaultReply: text('Hello from the stand-in.', { chunks: 3 }),
  });
});
afterAll(() => rig?.cleanup());

describe('codex through the runner', () => {
  it('answers, streams events, reads AGENTS.md, and prices the tokens from the table', async () => {
    const agent = rig.agent('cx-plain', {}, { 'AGENTS.md': 'Project rule: MARKER-AGENTS-CX.' });
    const events: RunEvent[] = [];
    const result = await rig.runner.run({ agent, task: 'say hello' }, { onEvent: (e) => events.push(e) });
    expect(result, result.stderrTail).toMatchObject({ ok: true, runtime: 'codex', text: 'Hello from the stand-in.', exitCode: 0 });
    expect(result.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(result.usage).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(result.costUsd).toBeCloseTo((100 * 3 + 20 * 15) / 1e6, 10);
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'result']);
    expect(events.at(-1)).toMatchObject({ ok: true, costUsd: result.costUsd, sessionId: result.sessionId });
    const request = rig.model.lastRequest!;
    expect(request.prompt).toBe('say hello');
    expect(allText(request)).toContain('MARKER-AGENTS-CX');
    expect(request.headers.originator).toBe('codex_exec');
  });

  it('runs a shell command in the agent directory under workspace-write, and the read-only sandbox refuses the write', async () => {
    const writer = rig.agent('cx-writer', { permissionMode: 'acceptEdits' });
    const events: RunEvent[] = [];
    const ran = await rig.runner.run({ agent: writer, task: 'write a file please' }, { onEvent: (e) => events.push(e) });
    expect(ran, ran.stderrTail).toMatchObject({ ok: true });
    expect(readFileSync(join(writer.directory, 'created.txt'), 'utf8')).toBe('hi\n');
    expect(ran.text).toContain(writer.directory);
    expect(events.find((e) => e.type === 'tool_use')).toMatchObject({ name: 'shell', input: { command: expect.stringContaining('created.txt') } });
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ isError: false, content: expect.stringContaining('wrote') });

    const reader = rig.agent('cx-reader', { permissionMode: 'default' });
    const refused = await rig.runner.run({ agent: reader, task: 'write a file please' });
    expect(refused.ok).toBe(true); // a refused tool call does not fail the run; the model sees the refusal
    expect(refused.text).toContain('Read-only file system');
    expect(existsSync(join(reader.directory, 'created.txt'))).toBe(false);
  });

  it('resumes a session with its history and charges the resumed run only for its own tokens', async () => {
    const agent = rig.agent('cx-session');
    const first = await rig.runner.run({ agent, task: 'remember PURPLE-42' });
    expect(first, first.stderrTail).toMatchObject({ ok: true, text: 'I will remember PURPLE-42.' });
    const second = await rig.runner.run({ agent, task: 'what colour did I say?', resumeSessionId: first.sessionId! });
    expect(second, second.stderrTail).toMatchObject({ ok: true, text: 'You said PURPLE-42.', sessionId: first.sessionId });
    // Codex reports 200 input tokens (the thread so far); the run itself made one 100-token request.
    expect(second.usage.inputTokens).toBe(100);
    expect(second.costUsd).toBeCloseTo(first.costUsd, 10);
  });

  it.each([
    ['locked out', 'auth'],
    ['too busy', 'rate_limit'],
  ])('classifies "%s" from the API as %s after a single request', async (task, type) => {
    rig.model.reset();
    const result = await rig.runner.run({ agent: rig.agent('cx-fail'), task });
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe(type);
    expect(result.exitCode).toBe(1);
    expect(rig.model.modelRequests()).toHaveLength(1);
  });

  it('reports an unknown session to resume as not_found', async () => {
    const result = await rig.runner.run({ agent: rig.agent('cx-missing'), task: 'hi', resumeSessionId: '01a2136f-f8a7-7183-8be1-000000000000' });
    expect(result.error).toMatchObject({ type: 'not_found', message: expect.stringContaining('01a2136f-f8a7-7183-8be1-000000000000') });
  });

  it('flags a run whose cost passed max_budget_usd (Codex reports cost only at the end)', async () => {
    const result = await rig.runner.run({ agent: rig.agent('cx-budget', { maxBudgetUsd: 0.0001 }), task: 'say hello' });
    expect(result).toMatchObject({ ok: false, text: 'Hello from the stand-in.', error: { type: 'budget' } });
  });

  it('passes a JSON Schema through --output-schema and parses the answer', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false };
    const result = await rig.runner.run({ agent: rig.agent('cx-json'), task: 'reply as json', jsonSchema: schema });
    expect(result, result.stderrTail).toMatchObject({ ok: true, structured: { answer: 42 } });
    expect(rig.model.lastRequest?.body.text?.format).toMatchObject({ type: 'json_schema', schema });
  });
});
