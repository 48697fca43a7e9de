// The real Gemini CLI (0.61.0) through the runner, offline against the Gemini API stand-in.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/types.js';
import { allText, dialectFail, geminiShell, text } from '../support/fake-gemini.js';
import { createRig, sharedRules, TEST_MODELS, type RuntimeRig, secureCacheDir } from './support.js';

let rig: RuntimeRig;
// Gemini ignores a settings file under a world-writable directory such as /tmp.
const cacheDir = secureCacheDir();
let runRoot: string;

beforeAll(async () => {
  mkdirSync(cacheDir, { recursive: true });
  runRoot = join(mkdtempSync(join(cacheDir, 'ad-gemini-runs-')), 'runs');
  rig = await createRig('gemini', {
    geminiRunRoot: runRoot,
    rules: [
      ...sharedRules(geminiShell, 'API key not valid'),
      { match: 'loop', reply: geminiShell('echo again'), repeat: true },
      { match: 'too busy', fail: dialectFail(429, { message: 'Resource has been exhausted' }) },
    ],
    defaultReply: text('Hello from the stand-in.', { chunks: 3 }),
  });
});
afterAll(async () => {
  await rig?.cleanup();
  if (runRoot) rmSync(join(runRoot, '..'), { recursive: true, force: true });
});

const model = TEST_MODELS.gemini;

describe('gemini through the runner', () => {
  it('answers, reads GEMINI.md, joins text deltas, prices the tokens, and removes its per-run settings', async () => {
    const agent = rig.agent('gm-plain', { model }, { 'GEMINI.md': 'Project rule: MARKER-GEMINI-MD.' });
    const events: RunEvent[] = [];
    const result = await rig.runner.run({ agent, task: 'say hello' }, { onEvent: (e) => events.push(e) });
    expect(result, result.stderrTail).toMatchObject({ ok: true, runtime: 'gemini', text: 'Hello from the stand-in.', exitCode: 0 });
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.usage).toEqual({ inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(result.costUsd).toBeCloseTo((100 * 3 + 20 * 15) / 1e6, 10);
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'result']);
    expect(events[0]).toMatchObject({ type: 'init', sessionId: result.sessionId, model });
    const request = rig.model.lastRequest!;
    expect(request.prompt).toBe('say hello');
    expect(request.path).toBe(`/v1beta/models/${model}:streamGenerateContent`);
    expect(allText(request)).toContain('MARKER-GEMINI-MD');
    // The per-run settings file was read (no "Skipping system settings" warning) and then removed with its dir.
    expect(result.stderrTail).not.toMatch(/Skipping system settings/);
    expect(readdirSync(runRoot)).toEqual([]);
  });

  it('runs a shell command in the agent directory in yolo mode, and the default mode refuses it as a denial', async () => {
    const writer = rig.agent('gm-writer', { model, permissionMode: 'bypassPermissions' });
    const ran = await rig.runner.run({ agent: writer, task: 'write a file please' });
    expect(ran, ran.stderrTail).toMatchObject({ ok: true, permissionDenials: [] });
    expect(readFileSync(join(writer.directory, 'created.txt'), 'utf8')).toBe('hi\n');
    expect(ran.text).toContain(writer.directory);

    const reader = rig.agent('gm-reader', { model, permissionMode: 'default' });
    const refused = await rig.runner.run({ agent: reader, task: 'write a file please' });
    expect(refused.ok).toBe(true);
    expect(refused.permissionDenials).toEqual([expect.objectContaining({ toolName: 'run_shell_command' })]);
    expect(existsSync(join(reader.directory, 'created.txt'))).toBe(false);
  });

  it('resumes a session with its history', async () => {
    const agent = rig.agent('gm-session', { model });
    const first = await rig.runner.run({ agent, task: 'remember PURPLE-42' });
    expect(first, first.stderrTail).toMatchObject({ ok: true, text: 'I will remember PURPLE-42.' });
    const second = await rig.runner.run({ agent, task: 'what colour did I say?', resumeSessionId: first.sessionId! });
    expect(second, second.stderrTail).toMatchObject({ ok: true, text: 'You said PURPLE-42.', sessionId: first.sessionId });
    expect(second.usage.inputTokens).toBe(100);
  });

  it.each([
    ['locked out', 'auth', 145],
    ['too busy', 'rate_limit', 173],
  ])('classifies "%s" from the API as %s after one request, leaving no error report behind', async (task, type, exitCode) => {
    rig.model.reset();
    const result = await rig.runner.run({ agent: rig.agent('gm-fail', { model }), task });
    expect(result).toMatchObject({ ok: false, exitCode, error: { type } });
    expect(rig.model.modelRequests()).toHaveLength(1);
    // Gemini dumps the conversation into $TMPDIR on API errors: the run's private TMPDIR is gone with it.
    expect(readdirSync(rig.sandbox.tmp).filter((f) => f.startsWith('gemini-client-error'))).toEqual([]);
    expect(readdirSync(runRoot)).toEqual([]);
  });

  it('maps max_turns to the session turn limit', async () => {
    const result = await rig.runner.run({ agent: rig.agent('gm-turns', { model, maxTurns: 1, permissionMode: 'bypassPermissions' }), task: 'loop forever' });
    expect(result).toMatchObject({ ok: false, exitCode: 53, error: { type: 'max_turns' } });
  });

  it('reports an unknown session to resume as not_found', async () => {
    const result = await rig.runner.run({ agent: rig.agent('gm-missing', { model }), task: 'hi', resumeSessionId: '11111111-2222-4333-8444-555555555555' });
    expect(result).toMatchObject({ ok: false, exitCode: 42, error: { type: 'not_found' } });
  });
});
