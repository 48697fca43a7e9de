// The real Claude Code CLI, interactive in a terminal (tmux), as the caller of `agent-dispatch serve`: the
// connection is 2026-07-28 with the Tasks extension, so a dispatch is answered as a task that Claude Code moves to
// the background at once, and the agent's answer arrives later as a new turn. Skipped when tmux is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, text, toolUse, type TurnContext } from '../support/fake-anthropic.js';
import { CLAUDE_BIN, createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, stopLocalWorkers, type ProductSetup } from '../support/product.js';
import { createTerminal, TMUX_BIN } from '../support/terminal.js';

const SERVER = 'agent-dispatch';
const term = createTerminal('cc');

let bb: Backbone;
let setup: ProductSetup;
let callerDir: string;
let callerHome: string;
let gamma: string;

// What the caller's model was told when a tool result came back (first tool result's text).
const toolResultOf = (ctx: TurnContext) => ctx.lastToolResult;

// The jobs as `agent-dispatch jobs --json` lists them, newest first.
const jobs = () => JSON.parse(execFileSync(process.execPath, [AGENT_DISPATCH_BIN, 'jobs', '--json'], { env: setup.env, encoding: 'utf8' })) as { job_id: string; status: string; task: string }[];

// Start interactive `claude "<prompt>"` in a detached 160x45 tmux session, with our server as its only MCP server.
function startCaller(session: string, prompt: string, extraEnv: Record<string, string> = {}): void {
  const serverEnv = { AGENT_DISPATCH_CONFIG: setup.configPath, AGENT_DISPATCH_STATE_DIR: setup.stateDir, AGENT_DISPATCH_CLAUDE_BIN: CLAUDE_BIN };
  const mcpConfig = { mcpServers: { [SERVER]: { command: process.execPath, args: [AGENT_DISPATCH_BIN, 'serve'], env: serverEnv } } };
  const env = { ...(bb.env({ extra: { HOME: callerHome } }) as Record<string, string>), TERM: 'xterm-256color', ...extraEnv };
  const argv = [CLAUDE_BIN, prompt, '--mcp-config', JSON.stringify(mcpConfig), '--strict-mcp-config', '--allowedTools', `mcp__${SERVER}`];
  // A retried test starts over in a fresh session of the same name.
  try {
    term.tmux('kill-session', '-t', session);
  } catch {
    // none yet
  }
  term.start(session, { script: join(bb.sandbox.root, `${session}.sh`), cwd: callerDir, env, argv, size: [160, 45] });
}

const screen = term.screen;
const waitForScreen = (session: string, done: (shown: string) => boolean, timeoutMs = 60_000) => term.waitFor(session, done, timeoutMs);

// Answer the permission form on screen with Allow once: → opens the choices, Enter picks the first, Enter on
// Accept sends it. A key sent while the form is still re-rendering can be dropped: press Enter until it is gone.
async function allowOnce(session: string): Promise<void> {
  term.keys(session, 'Right');
  await waitForScreen(session, (s) => s.includes('Allow once'), 10_000);
  term.keys(session, 'Enter');
  await waitForScreen(session, (s) => s.includes('✔ Decision: Allow once') && s.includes('❯ Accept'), 10_000);
  for (let i = 0; i < 10 && screen(session).includes('❯ Accept'); i++) {
    term.keys(session, 'Enter');
    await new Promise((r) => setTimeout(r, 500));
  }
}

// Claude Code speaks 2026-07-28 (and so offers tasks) only when server/discover is answered within its bound; on a
// machine loaded by the whole suite a session can fall back to 2025-11-25. Each test may run once more for that.
describe.skipIf(TMUX_BIN === undefined)('Claude Code, interactive in a terminal, as the caller', { retry: 1 }, () => {
  beforeAll(async () => {
    assertBuilt();
    bb = await createBackbone({
      rules: [
        // The agent (run by our server): answers after 4 s, so the call is seen in the background first.
        { match: 'AGENT_Q slow', reply: text('SLOW_ANSWER: the build is green.', { delayMs: 4000 }) },
        // An agent that would work for a minute: the person stops it first.
        { match: 'AGENT_Q endless', reply: text('ENDLESS_ANSWER', { delayMs: 60_000 }) },
        { match: 'CALLER endless', reply: [toolUse(`mcp__${SERVER}__dispatch`, { agent: 'alpha', task: 'AGENT_Q endless: count to a billion' }), text('CALLER_WAITING')] },
        // An agent under permission mode `default` with approvals "ask": its Bash call needs the person's yes.
        { match: 'AGENT_Q approve', reply: [toolUse('Bash', { command: 'touch approved.txt && echo made-approved' }), (ctx) => text(`APPROVE_ANSWER tool said: ${ctx.lastToolResult}`)] },
        {
          match: 'CALLER approve',
          reply: [
            toolUse(`mcp__${SERVER}__dispatch`, { agent: 'gamma', task: 'AGENT_Q approve: make the file' }),
            text('CALLER_WAITING'),
            (ctx) => text(`CALLER_NOTIFIED ${/APPROVE_ANSWER[^"\\]*/.exec(allText(ctx.request))?.[0] ?? 'without the answer'}`),
          ],
        },
        // The same with tasks turned off in Claude Code: a synchronous call, asked in input_required rounds.
        { match: 'AGENT_Q sync', reply: [toolUse('Bash', { command: 'touch synced.txt && echo made-synced' }), (ctx) => text(`SYNC_ANSWER tool said: ${ctx.lastToolResult}`)] },
        {
          match: 'CALLER sync',
          reply: [
            toolUse(`mcp__${SERVER}__dispatch`, { agent: 'gamma', task: 'AGENT_Q sync: make the file' }),
            (ctx) => text(`CALLER_GOT ${/SYNC_ANSWER[^"\\]*/.exec(toolResultOf(ctx))?.[0] ?? toolResultOf(ctx).slice(0, 80)}`),
          ],
        },
        // The caller: calls dispatch; the next turn reports what the tool call returned at once.
        {
          match: 'CALLER background',
          reply: [
            toolUse(`mcp__${SERVER}__dispatch`, { agent: 'alpha', task: 'AGENT_Q slow: is the build green?' }),
            (ctx) => text(`CALLER_TOLD ${toolResultOf(ctx).slice(0, 60).replace(/\s+/g, ' ')}`),
            // The turn Claude Code starts on its own when the task completes: what it was shown of the result.
            (ctx) => text(`CALLER_NOTIFIED ${/SLOW_ANSWER[^"\\]*/.exec(allText(ctx.request))?.[0] ?? 'without the answer'}`),
          ],
        },
      ],
      defaultReply: text('ok'),
    });
    const alpha = bb.project('alpha', { claudeMd: 'ALPHA_RULES' });
    callerDir = bb.project('caller', { claudeMd: 'CALLER_RULES' });
    gamma = bb.project('gamma', { claudeMd: 'GAMMA_RULES' });
    setup = setupProduct(bb, {
      agents: {
        alpha: { directory: alpha, description: 'The alpha service' },
        gamma: { directory: gamma, description: 'Asks before it runs a command', permission_mode: 'default', approvals: 'ask' },
      },
    });
    // A caller HOME where onboarding is done, the project is trusted and the test key is approved.
    callerHome = join(bb.sandbox.root, 'caller-home');
    mkdirSync(callerHome, { recursive: true });
    writeFileSync(
      join(callerHome, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        theme: 'dark',
        customApiKeyResponses: { approved: ['sk-test'], rejected: [] },
        projects: { [callerDir]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
      }),
    );
  });

  afterAll(async () => {
    term.close();
    // Claude Code exits on the hang-up a moment later and may still write into its HOME: wait for it to go.
    for (let i = 0; i < 50; i++) {
      try {
        rmSync(callerHome, { recursive: true, force: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (setup) await stopLocalWorkers(setup.stateDir);
    await bb?.cleanup();
  });

  it('moves a dispatch to the background at once and starts a new turn with the agent\'s answer', async () => {
    startCaller('tasks', 'CALLER background: ask alpha whether the build is green');
    // At once: the tool call returned a task, the model's next turn ran, and the footer counts the running task.
    const told = await waitForScreen('tasks', (s) => s.includes('CALLER_TOLD'));
    expect(told).toContain('CALLER_TOLD MCP tool "agent-dispatch/dispatch" started server-side task');
    expect(told).toMatch(/1 MCP task/);
    expect(told).not.toContain('CALLER_NOTIFIED');
    const job = jobs().find((j) => j.task.includes('is the build green'));
    expect(job?.status).toMatch(/pending|running/);

    // Later: the agent answered, Claude Code saw the task complete and started a turn with the answer in it.
    const notified = await waitForScreen('tasks', (s) => s.includes('CALLER_NOTIFIED'), 60_000);
    expect(notified).toContain(`MCP task ${job!.job_id} (agent-dispatch/dispatch) completed.`);
    expect(notified).toContain('CALLER_NOTIFIED SLOW_ANSWER: the build is green.');
    expect(jobs().find((j) => j.job_id === job!.job_id)).toMatchObject({ job_id: job!.job_id, status: 'done' });
  }, 120_000);

  it('stops the agent when the person presses x in the task view (tasks/cancel)', async () => {
    startCaller('cancel', 'CALLER endless: ask alpha to count');
    await waitForScreen('cancel', (s) => s.includes('CALLER_WAITING') && /1 MCP task/.test(s));
    const job = jobs().find((j) => j.task.includes('count to a billion'));
    expect(job?.status).toMatch(/pending|running/);
    // ↓ opens the background tasks, Enter the task, x stops it.
    term.keys('cancel', 'Down');
    await waitForScreen('cancel', (s) => s.includes('enter to view tasks'), 10_000);
    term.keys('cancel', 'Enter');
    await waitForScreen('cancel', (s) => /x to stop/i.test(s), 10_000);
    term.keys('cancel', 'x');
    const deadline = Date.now() + 20_000;
    while (jobs().find((j) => j.job_id === job!.job_id)?.status !== 'cancelled' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(jobs().find((j) => j.job_id === job!.job_id)?.status).toBe('cancelled');
  }, 120_000);

  it('shows the person an agent\'s permission request and the agent goes on after the answer', async () => {
    rmSync(join(gamma, 'approved.txt'), { force: true });
    startCaller('approve', 'CALLER approve: ask gamma to make the file');
    // The task turned input_required: Claude Code shows our request as a form, with the exact command.
    const form = await waitForScreen('approve', (s) => s.includes('requests your input') && s.includes('Decision'));
    expect(form).toContain('MCP server “agent-dispatch” requests your input');
    expect(form).toMatch(/Agent gamma asks to use Bash \(job [0-9a-f]{32}, request [0-9a-f]{8}\):/);
    expect(form).toContain('command: touch approved.txt && echo made-approved');
    expect(existsSync(join(gamma, 'approved.txt'))).toBe(false);
    // Sent back by tasks/update.
    await allowOnce('approve');

    // The agent went on: the command ran, the task completed, and the caller's new turn carries the answer.
    const notified = await waitForScreen('approve', (s) => s.includes('CALLER_NOTIFIED'), 60_000);
    expect(notified).toContain('CALLER_NOTIFIED APPROVE_ANSWER tool said: made-approved');
    expect(existsSync(join(gamma, 'approved.txt'))).toBe(true);
    const job = jobs().find((j) => j.task.includes('make the file'))!;
    expect(job.status).toBe('done');
    const shown = JSON.parse(execFileSync(process.execPath, [AGENT_DISPATCH_BIN, 'jobs', 'show', job.job_id, '--json'], { env: setup.env, encoding: 'utf8' })) as { events: ({ type: string } & Record<string, unknown>)[] };
    expect(shown.events).toContainEqual(expect.objectContaining({ type: 'approval_decision', decision: 'allow_once', decidedBy: 'caller' }));
  }, 120_000);

  it('asks the person in the call itself when Claude Code runs without tasks (input_required rounds)', async () => {
    rmSync(join(gamma, 'synced.txt'), { force: true });
    startCaller('sync', 'CALLER sync: ask gamma to make the file', { CLAUDE_CODE_DISABLE_MCP_TASKS: '1' });
    const form = await waitForScreen('sync', (s) => s.includes('requests your input') && s.includes('Decision'));
    // The call is still in the foreground (under it: the agent's progress, or Claude Code's "Fulfilling input
    // required by 'tools/call' (round 1)").
    expect(form).toContain('Calling agent-dispatch');
    expect(form).toContain('command: touch synced.txt && echo made-synced');
    // Sent back as the retried tools/call's inputResponses.
    await allowOnce('sync');
    const got = await waitForScreen('sync', (s) => s.includes('CALLER_GOT'), 60_000);
    expect(got).toContain('CALLER_GOT SYNC_ANSWER tool said: made-synced');
    expect(existsSync(join(gamma, 'synced.txt'))).toBe(true);
  }, 120_000);
});
