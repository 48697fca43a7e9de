// The real OpenCode CLI (1.18.33) through the runner, offline against the Chat Completions stand-in.
// OpenCode takes about 5 s to start on 2 cores: runs here are few and each proves several things.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/types.js';
import { allText, dialectFail, opencodeShell, text } from '../support/fake-chat-completions.js';
import { createRig, hasRuntime, sharedRules, TEST_MODELS, type RuntimeRig } from './support.js';

// scripts/test-clis.mjs installs OpenCode before `npm test`; without it (no registry) these tests skip.
const skip = !hasRuntime('opencode');

let rig: RuntimeRig;
beforeAll(async () => {
  if (skip) return;
  rig = await createRig('opencode', {
    rules: [
      ...sharedRules(opencodeShell),
      { match: 'loop', reply: opencodeShell('echo again'), repeat: true },
      { match: 'too busy', fail: dialectFail(429, { message: 'Rate limit reached', retryAfterMs: 0 }) },
    ],
    defaultReply: text('Hello from the stand-in.'),
  });
}, 120_000);
afterAll(() => rig?.cleanup());

describe.skipIf(skip)('opencode through the runner', () => {
  it('answers with the prompt verbatim on stdin, reads AGENTS.md, then resumes the session with its history', async () => {
    const agent = rig.agent('oc-session', { model: TEST_MODELS.opencode }, { 'AGENTS.md': 'Project rule: MARKER-AGENTS-OC.' });
    const events: RunEvent[] = [];
    const task = 'remember PURPLE-42, "quoted" and $HOME';
    const first = await rig.runner.run({ agent, task }, { onEvent: (e) => events.push(e) });
    expect(first, first.stderrTail).toMatchObject({ ok: true, runtime: 'opencode', text: 'I will remember PURPLE-42.', exitCode: 0 });
    expect(first.sessionId).toMatch(/^ses_/);
    expect(first.usage).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(first.costUsd).toBeCloseTo((100 * 3 + 20 * 15) / 1e6, 10);
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'result']);
    const request = rig.model.lastRequest!;
    expect(request.prompt).toBe(task);
    expect(allText(request)).toContain('MARKER-AGENTS-OC');
    expect(rig.model.requests.some((r) => r.kind === 'title')).toBe(true);

    const second = await rig.runner.run({ agent, task: 'what colour did I say?', resumeSessionId: first.sessionId! });
    expect(second, second.stderrTail).toMatchObject({ ok: true, text: 'You said PURPLE-42.', sessionId: first.sessionId });
  }, 120_000);

  it('runs bash in the agent directory under bypassPermissions, and the default mode refuses it as a denial', async () => {
    const writer = rig.agent('oc-writer', { permissionMode: 'bypassPermissions' });
    const ran = await rig.runner.run({ agent: writer, task: 'write a file please' });
    expect(ran, ran.stderrTail).toMatchObject({ ok: true, permissionDenials: [] });
    expect(readFileSync(join(writer.directory, 'created.txt'), 'utf8')).toBe('hi\n');
    expect(ran.text).toContain(writer.directory);

    const reader = rig.agent('oc-reader', { permissionMode: 'default' });
    const refused = await rig.runner.run({ agent: reader, task: 'write a file please' });
    expect(refused, JSON.stringify(refused, null, 1)).toMatchObject({ ok: true });
    expect(refused.permissionDenials).toEqual([expect.objectContaining({ toolName: 'bash' })]);
    expect(existsSync(join(reader.directory, 'created.txt'))).toBe(false);
  }, 120_000);

  it.each([
    ['locked out', 'auth'],
    ['too busy', 'rate_limit'],
  ])('classifies "%s" from the API as %s', async (task, type) => {
    const result = await rig.runner.run({ agent: rig.agent('oc-fail'), task });
    expect(result).toMatchObject({ ok: false, exitCode: 1, error: { type } });
  });

  it('stops a run as soon as its running cost passes max_budget_usd', async () => {
    // Each step costs $0.0006 at the test price; the cap falls inside the second step.
    const agent = rig.agent('oc-budget', { model: TEST_MODELS.opencode, maxBudgetUsd: 0.001, permissionMode: 'bypassPermissions' });
    rig.model.reset();
    const result = await rig.runner.run({ agent, task: 'loop forever' });
    expect(result).toMatchObject({ ok: false, error: { type: 'budget', message: expect.stringContaining('was stopped') } });
    expect(result.costUsd).toBeGreaterThan(0.001);
    expect(rig.model.modelRequests().length).toBeLessThanOrEqual(3);
  });
});
