// The runner driving the real Claude Code CLI (2.1.328) against the stand-in model: every failure class the CLI can show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail, text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { agentIn, survivorsAfter } from './helpers.js';
import { cliRunner } from './cli-support.js';

let bb: Backbone;
const readLoop = () => toolUse('Read', { file_path: 'README.md' });

beforeAll(async () => {
  bb = await createBackbone({
    rules: [
      { match: 'SLOW', reply: text('too late', { delayMs: 60_000 }) },
      { match: 'LOOP', reply: readLoop(), repeat: true },
      { match: 'AUTH', fail: fail(401) },
      { match: 'LIMIT', fail: fail(429) },
      { match: 'BUSY', fail: fail(529) },
      { match: 'PLAN', reply: [toolUse('Bash', { command: 'touch plan.txt' }), text('after plan')] },
    ],
    defaultReply: text('fine'),
  });
});
afterAll(() => bb.cleanup());

function project(name: string) {
  return bb.project(name, { files: { 'README.md': 'hello' } });
}

describe('runner failure classes with the real claude CLI', () => {
  it('stops a run at its timeout, kills the tree and returns a resumable session id', async () => {
    let pid = 0;
    const runner = cliRunner(bb, {}, { onSpawn: (info) => (pid = info.pid) });
    const result = await runner.run({ agent: agentIn(project('slow'), { name: 'slow', timeout: 3 }), task: 'SLOW please' });
    expect(result.error?.type).toBe('timeout');
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.error?.hint).toContain(result.sessionId);
    expect(await survivorsAfter([pid], 3000)).toEqual([]);
  });

  it('cancels a run through its AbortSignal', async () => {
    let pid = 0;
    const controller = new AbortController();
    const runner = cliRunner(bb, {}, { onSpawn: (info) => (pid = info.pid) });
    const pending = runner.run({ agent: agentIn(project('cancel'), { name: 'cancel' }), task: 'SLOW cancel me' }, { signal: controller.signal });
    await bb.model.waitForRequest((r) => r.prompt.includes('cancel me'), { timeoutMs: 20_000 });
    controller.abort();
    const result = await pending;
    expect(result.error?.type).toBe('cancelled');
    expect(await survivorsAfter([pid], 3000)).toEqual([]);
  });

  it('reports the budget cap the CLI enforced', async () => {
    const result = await cliRunner(bb).run({ agent: agentIn(project('budget'), { name: 'budget', maxBudgetUsd: 0.002 }), task: 'LOOP budget' });
    expect(result.error).toMatchObject({ type: 'budget', message: expect.stringContaining('$0.002'), hint: expect.stringContaining('--max-budget-usd') });
    expect(result.costUsd).toBeGreaterThanOrEqual(0.002);
    expect(result.sessionId).toBeDefined();
  });

  it('reports the turn limit', async () => {
    const result = await cliRunner(bb).run({ agent: agentIn(project('turns'), { name: 'turns', maxTurns: 1 }), task: 'LOOP turns' });
    expect(result.error?.type).toBe('max_turns');
    expect(result.exitCode).toBe(1);
  });

  it.each([
    ['auth', 'AUTH', /authenticate/],
    ['rate_limit', 'LIMIT', /rate-limited/],
    ['overloaded', 'BUSY', /overloaded/],
  ])('classifies an API failure as %s', async (type, marker, message) => {
    const result = await cliRunner(bb).run({ agent: agentIn(project(`api-${type}`), { name: `api-${type}` }), task: `${marker} now` });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ type, message: expect.stringMatching(message), hint: expect.any(String) });
  });

  it('treats plan mode refusing Bash as a soft denial under stream-json (json output would exit 1)', async () => {
    const result = await cliRunner(bb).run({ agent: agentIn(project('plan'), { name: 'plan', permissionMode: 'plan' }), task: 'PLAN it' });
    expect(result).toMatchObject({ ok: true, exitCode: 0, text: 'after plan' });
    expect(result.permissionDenials).toEqual([expect.objectContaining({ toolName: 'Bash' })]);
  });

  it.runIf(process.getuid?.() === 0)('reports bypassPermissions refused as root as a permission failure', async () => {
    const result = await cliRunner(bb).run({ agent: agentIn(project('root'), { name: 'root', permissionMode: 'bypassPermissions' }), task: 'hello' });
    expect(result.error).toMatchObject({ type: 'permission', hint: expect.stringContaining('IS_SANDBOX=1') });
  });

  it('reports an unknown session to resume as not_found', async () => {
    const result = await cliRunner(bb).run({ agent: agentIn(project('nosession'), { name: 'nosession' }), task: 'hello', resumeSessionId: '12345678-1234-4234-8234-123456789abc' });
    expect(result.error?.type).toBe('not_found');
  });

  it('refuses at max depth before starting the CLI', async () => {
    const before = bb.model.messageRequests().length;
    const result = await cliRunner(bb, { AGENT_DISPATCH_DEPTH: '2' }, { maxDepth: 2 }).run({ agent: agentIn(project('deep'), { name: 'deep' }), task: 'hello' });
    expect(result.error?.type).toBe('recursion');
    expect(bb.model.messageRequests().length).toBe(before);
  });
});
