// `agent-dispatch test` without a terminal, with the real Claude Code CLI and the stand-in model: plain lines,
// the answer and its numbers, exit codes, the error type and fix on failure, and Ctrl-C killing the agent.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../src/jobs/store/index.js';
import { DEFAULT_TEST_TASK } from '../../src/cli/commands/test.js';
import { fail, text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import type { ChildProcess } from 'node:child_process';

let bb: Backbone;
let setup: ProductSetup;

const agentDispatch = (args: string[], onSpawn?: (child: ChildProcess) => void) =>
  bb.sandbox.runClaude([AGENT_DISPATCH_BIN, ...args], { bin: process.execPath, cwd: bb.sandbox.root, env: setup.env, ...(onSpawn ? { onSpawn } : {}) });

beforeAll(async () => {
  assertBuilt();
  bb = await createBackbone({
    rules: [
      { match: 'What project', reply: [toolUse('Bash', { command: 'ls' }, { text: 'Looking around' }), text('This is the alpha service.')] },
      { match: 'credentials', fail: fail(401, { message: 'invalid x-api-key' }) },
      { match: 'slow task', reply: text('too late', { delayMs: 20_000 }) },
    ],
    defaultReply: text('ok'),
  });
  const alpha = bb.project('alpha', { claudeMd: 'Alpha rules.' });
  setup = setupProduct(bb, { agents: { alpha: { directory: alpha, description: 'Alpha' }, slowpoke: { directory: alpha, timeout: 2 } } });
});

afterAll(async () => {
  await bb?.cleanup();
});

describe('agent-dispatch test (no terminal)', () => {
  it('sends the default task and prints each step with --stream on stderr, and the answer alone, once, on stdout', async () => {
    const run = await agentDispatch(['test', 'alpha', '--stream']);
    expect(run.code, run.stderr).toBe(0);
    expect(bb.model.messageRequests().some((r) => r.prompt.includes(DEFAULT_TEST_TASK))).toBe(true);
    expect(run.stdout).toBe('This is the alpha service.\n');
    const lines = run.stderr.split('\n').map((l) => l.trim());
    expect(lines).toContainEqual(expect.stringMatching(/^\S+ m?s {2}Looking around$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\S+ m?s {2}→ Bash: ls$/));
    expect(lines.at(-2)).toMatch(/^✔ alpha answered · \S+ m?s · 2 turns · \$0\.0016 · job [0-9a-f]{32}$/);
    expect(run.stderr).not.toContain('This is the alpha service.');
    expect(run.stdout + run.stderr).not.toContain('\x1b');
  });

  it('prints the dispatch tool result with --json and nothing else on stdout', async () => {
    const run = await agentDispatch(['test', 'alpha', 'What project is this, in JSON?', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ agent: 'alpha', success: true, result: 'This is the alpha service.', num_turns: 2, job_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('exits 1 on a failed run, naming the error type and the fix', async () => {
    const run = await agentDispatch(['test', 'alpha', 'Check the credentials']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^✘ alpha failed: auth · /m);
    expect(run.stderr).toContain('could not authenticate with the model API');
    expect(run.stderr).toMatch(/^ {2}fix: Check the credentials the agent gets: ANTHROPIC_API_KEY/m);
  });

  it("stops the run at the agent's timeout and reports a timeout", async () => {
    const run = await agentDispatch(['test', 'slowpoke', 'A slow task']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^✘ slowpoke failed: timeout · /m);
    expect(run.stderr).toContain('did not finish within 2s');
    // The fix names this CLI's flags, not the MCP tools' parameters and verbs.
    expect(run.stderr).toMatch(/^ {2}fix: .*a larger --timeout \(up to 7200 seconds\)/m);
    expect(run.stderr).not.toMatch(/dispatch_|timeout_seconds|session_id/);
  });

  it('exits 1 with the known agents for an unknown agent, and 2 for a missing one or a bad --timeout', async () => {
    const unknown = await agentDispatch(['test', 'alpah']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown agent "alpah". Did you mean "alpha"?');
    const missing = await agentDispatch(['test']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'agent'");
    for (const value of ['soon', '5', '9000']) {
      const badTimeout = await agentDispatch(['test', 'alpha', '--timeout', value]);
      expect(badTimeout.code).toBe(2);
      expect(badTimeout.stderr).toContain(`--timeout must be a whole number of seconds from 10 to 7200; got "${value}"`);
    }
  });

  it('cancels on Ctrl-C (SIGINT): a plain "cancelled", exit 130, and the agent process group is gone', async () => {
    const waiting = bb.model.waitForRequest((r) => r.prompt.includes('Another slow task'));
    let child: ChildProcess | undefined;
    const running = agentDispatch(['test', 'alpha', 'Another slow task'], (c) => (child = c));
    await waiting;
    child!.kill('SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/^■ alpha: cancelled · /m);
    expect(run.stderr).not.toMatch(/failed|fix:/);
    const store = createJobStore({ path: join(setup.stateDir, 'jobs.db') });
    try {
      const [summary] = store.list({ agent: 'alpha', limit: 1 });
      const job = store.get(summary!.id);
      expect(job.status).toBe('cancelled');
      expect(job.childPid).toBeGreaterThan(0);
      expect(() => process.kill(-job.childPid!, 0)).toThrow(/ESRCH/);
    } finally {
      store.close();
    }
  });
});
