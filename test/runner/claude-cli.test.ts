// The runner driving the real Claude Code CLI (2.1.328) against the stand-in model: runs that succeed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrompt } from '../../src/runner/prompt.js';
import type { RunEvent } from '../../src/shared/types.js';
import { allText, text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { agentIn, isAlive } from './helpers.js';
import { cliRunner, promptSent } from './cli-support.js';

const PARENT = '99999999-8888-4777-8666-555555555555';
let bb: Backbone;

beforeAll(async () => {
  bb = await createBackbone({
    rules: [
      {
        match: 'RUN_BASH',
        reply: [toolUse('Bash', { command: 'touch made_by_bash.txt' }, { text: 'Running it' }), toolUse('Bash', { command: 'env' }), (ctx) => text(`saw ${ctx.lastToolResult}`)],
      },
      { match: 'WRITE_FILE', reply: [toolUse('Write', { file_path: 'out.txt', content: 'written' }), text('after write')] },
      { match: 'SCHEMA', reply: toolUse('StructuredOutput', { name: 'Bob', age: 42 }) },
      { match: 'ALPHA', reply: text('first answer') },
      { match: 'BETA', reply: text('second answer') },
    ],
    defaultReply: text('plain answer'),
  });
});
afterAll(() => bb.cleanup());

describe('runner with the real claude CLI', () => {
  it('runs Bash in the agent directory under acceptEdits and allowed tools, streams events live and strips caller-session markers', async () => {
    const dir = bb.project('alpha');
    let childPid = 0;
    const runner = cliRunner(
      bb,
      { CLAUDECODE: '1', CLAUDE_CODE_SESSION_ID: PARENT, CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS: PARENT, AGENT_DISPATCH_DEPTH: '1', AGENT_DISPATCH_CHAIN: 'top' },
      { onSpawn: ({ pid }) => (childPid = pid) },
    );
    const events: RunEvent[] = [];
    const aliveAtInit: boolean[] = [];
    const task = '-RUN_BASH "quoted" \'single\' $(whoami) `id`\nsecond line  ';
    const result = await runner.run(
      { agent: agentIn(dir, { name: 'alpha', permissionMode: 'acceptEdits', allowedTools: ['Bash(env)'] }), task },
      {
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'init') aliveAtInit.push(isAlive(childPid));
        },
      },
    );
    expect(result).toMatchObject({ ok: true, exitCode: 0, numTurns: 3, permissionDenials: [] });
    // What a Bash tool of the agent sees: our depth and chain, its own directory, nothing of the caller's session.
    expect(result.text).toContain('AGENT_DISPATCH_DEPTH=2\n');
    expect(result.text).toContain('AGENT_DISPATCH_CHAIN=top,alpha\n');
    expect(result.text).toContain(`PWD=${dir}\n`);
    expect(result.text).not.toContain(PARENT);
    expect(existsSync(join(dir, 'made_by_bash.txt'))).toBe(true);
    expect(result.costUsd).toBeCloseTo(0.0024, 6);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'tool_use', 'tool_result', 'tool_use', 'tool_result', 'text', 'result']);
    expect(aliveAtInit).toEqual([true]);
    expect(events[0]).toMatchObject({ type: 'init', sessionId: result.sessionId, model: 'claude-opus-5-5' });
    expect(events[2]).toMatchObject({ type: 'tool_use', name: 'Bash', input: { command: 'touch made_by_bash.txt' } });
    expect(events[3]).toMatchObject({ type: 'tool_result', isError: false });
    expect(promptSent(bb.model.messageRequests().find((r) => r.prompt.includes('RUN_BASH'))!.messages)).toBe(task);
  });

  it('reports a denied tool as a soft signal: the run succeeds and lists the denial', async () => {
    const dir = bb.project('denied');
    const result = await cliRunner(bb).run({ agent: agentIn(dir, { name: 'denied' }), task: 'WRITE_FILE please' });
    expect(result).toMatchObject({ ok: true, text: 'after write' });
    expect(result.error).toBeUndefined();
    expect(result.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Write', toolInput: expect.objectContaining({ content: 'written' }) })]);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('lets bypassPermissions write as root when the agent env sets IS_SANDBOX=1', async () => {
    const dir = bb.project('sandboxed');
    const result = await cliRunner(bb).run({ agent: agentIn(dir, { name: 'sandboxed', permissionMode: 'bypassPermissions', env: { IS_SANDBOX: '1' } }), task: 'WRITE_FILE now' });
    expect(result).toMatchObject({ ok: true, permissionDenials: [] });
    expect(existsSync(join(dir, 'out.txt'))).toBe(true);
  });

  it('returns a session id, resumes it with history and reports the cost of each run alone, then forks it', async () => {
    const dir = bb.project('sessions');
    const agent = agentIn(dir, { name: 'sessions' });
    const runner = cliRunner(bb);
    const first = await runner.run({ agent, task: 'ALPHA question' });
    expect(first).toMatchObject({ ok: true, text: 'first answer' });
    expect(first.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const second = await runner.run({ agent, task: 'BETA follow-up', resumeSessionId: first.sessionId! });
    expect(second).toMatchObject({ ok: true, text: 'second answer', sessionId: first.sessionId });
    expect(second.costUsd).toBeCloseTo(0.0008, 6); // the CLI's total_cost_usd would say 0.0016
    expect(allText(bb.model.lastRequest!)).toContain('first answer');

    const fork = await runner.run({ agent, task: 'BETA branch', resumeSessionId: first.sessionId!, forkSession: true });
    expect(fork.ok).toBe(true);
    expect(fork.sessionId).not.toBe(first.sessionId);
    expect(allText(bb.model.lastRequest!)).toContain('BETA follow-up');
  });

  it('reads structured output from --json-schema', async () => {
    const dir = bb.project('schema');
    const jsonSchema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name'] };
    const result = await cliRunner(bb).run({ agent: agentIn(dir, { name: 'schema' }), task: 'SCHEMA of Bob', jsonSchema });
    expect(result).toMatchObject({ ok: true, structured: { name: 'Bob', age: 42 } });
    expect(bb.model.lastRequest!.tools).toContain('StructuredOutput');
  });

  it('delivers a 1 MB structured prompt unchanged through stdin', async () => {
    const dir = bb.project('big');
    const task = `-${'large task line with "quotes" and $(subshell)\n'.repeat(22_000)}END`;
    const parts = { task, goal: 'check size', caller: 'tester', context: 'ctx' };
    const result = await cliRunner(bb).run({ agent: agentIn(dir, { name: 'big' }), ...parts });
    expect(result).toMatchObject({ ok: true, text: 'plain answer' });
    const sent = promptSent(bb.model.lastRequest!.messages);
    expect(sent.length).toBeGreaterThan(1_000_000);
    expect(sent).toBe(buildPrompt(parts));
  });
});
