// `agent-dispatch demo`: the whole product end to end, offline, in a temp directory. Two sample agents, the
// stand-in model, the real Claude Code CLI, our server over stdio, and Claude Code as the caller; each step is
// printed as it happens, and everything is stopped and removed at the end.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { relative } from 'node:path';
import { runCommand } from '../../runner/spawn.js';
import { DispatchError } from '../../shared/errors.js';
import { CliExit, type CliContext, type TextSink } from '../context.js';
import { runCaller } from './caller.js';
import { findClaude } from './find-claude.js';
import { clip, describeArgs, describeView, duration, usd } from './format.js';
import { CALLER_PROMPTS, demoRules } from './script.js';
import { createWorkspace, demoEnv, SAMPLE_AGENTS } from './workspace.js';

/** Options of the demo command. */
export interface DemoOptions {
  /** Leave the temp directory in place (to look at agents.yaml, the job store, the sample projects). */
  keep?: boolean;
}

const structured = (result: unknown) => ((result as { structuredContent?: unknown }).structuredContent ?? {}) as Record<string, any>;

/** What the demo's closing advice says to run: the README's "Using it for real" steps (a test keeps them in step). */
export const DEMO_NEXT_STEPS = ['agent-dispatch init', 'agent-dispatch add backend ~/src/backend', 'agent-dispatch test backend'];

// Run the demo; throws CliExit(1) after printing what went wrong.
export async function runDemo(ctx: CliContext, options: DemoOptions = {}): Promise<void> {
  // A closed stdout (`agent-dispatch demo | head`) must not stop the clean-up: stop printing instead.
  const sink = ctx.stdout as TextSink & Partial<Pick<NodeJS.WritableStream, 'on'>>;
  let closed = false;
  const onClosed = () => void (closed = true);
  sink.on?.('error', onClosed);
  const say = (line = '') => void (closed || ctx.stdout.write(`${line}\n`));
  const self = ctx.selfCommand;
  if (!self || self.length < 2) {
    throw new DispatchError('INVALID_INPUT', 'The demo must be started through the agent-dispatch executable.', { hint: 'Run `npx agent-dispatch demo` or `npm run demo`.' });
  }
  const claude = findClaude(ctx.env);
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || problems.push(what));

  say('agent-dispatch demo: a Claude Code session hands tasks to agents that live in other project directories.');
  say('Offline: a stand-in model on 127.0.0.1 answers every API call with scripted replies; nothing leaves this machine.');
  say();
  const ws = createWorkspace();
  const rel = (path: string) => relative(ws.root, path);
  say(`▸ workspace  ${ws.root}${options.keep ? ' (kept: --keep)' : ' (removed at the end)'}`);
  for (const agent of SAMPLE_AGENTS) say(`    agent ${agent.name.padEnd(9)} ${rel(ws.agents[agent.name]!).padEnd(20)} ${agent.description}`);
  say(`    config          ${rel(ws.configPath)}`);

  let model: { url: string; close(): Promise<void> } | undefined;
  let client: Client | undefined;
  let serverLog = '';
  try {
    const standIn = await import('../../stand-in/server.js');
    const started = await standIn.startFakeModel({ rules: demoRules(standIn), defaultReply: standIn.text('(demo: unexpected request)') });
    model = started;
    say(`▸ model      stand-in Anthropic Messages API at ${started.url}`);
    const env = demoEnv(ws, { path: ctx.env.PATH, modelUrl: started.url, claudeBin: claude.path });
    const version = await runCommand(claude.path, ['--version'], { env, cwd: ws.caller, timeoutMs: 30_000 });
    say(`▸ claude     ${claude.path} (${version.stdout.trim() || 'version unknown'}; found via ${claude.source})`);

    const t0 = performance.now();
    const transport = new StdioClientTransport({ command: self[0]!, args: [...self.slice(1), 'serve'], env, cwd: ws.caller, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => void (serverLog = (serverLog + chunk.toString('utf8')).slice(-4000)));
    // Protocol 2026-07-28, as Claude Code speaks it to us (the server also serves 2025-11-25 clients).
    client = new Client({ name: 'agent-dispatch-demo', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(transport);
    const { tools } = await client.listTools();
    say(`▸ server     agent-dispatch serve over stdio (pid ${transport.pid}): ${tools.length} tools listed ${duration(performance.now() - t0)} after spawn`);
    const agents = structured(await client.callTool({ name: 'list_agents', arguments: {} })).agents ?? [];
    say(`    list_agents → ${agents.map((a: any) => `${a.name} (${a.healthy ? 'healthy' : 'unhealthy'})`).join(', ')}`);
    check(agents.length === SAMPLE_AGENTS.length, 'list_agents did not list both sample agents');
    const signal = ctx.signal;

    say();
    say('1. A script calls `dispatch` over MCP, with live progress');
    say(`    → dispatch ${describeArgs({ agent: 'frontend', task: 'What is this project?', caller: 'demo script' })}`);
    const direct = await client.callTool(
      { name: 'dispatch', arguments: { agent: 'frontend', task: 'What is this project?', caller: 'demo script' } },
      { signal, timeout: 180_000, resetTimeoutOnProgress: true, onprogress: (p) => say(`    · ${clip(p.message ?? '', 110)}`) },
    );
    say(`    ← ${describeView(structured(direct))}`);
    check(!direct.isError && structured(direct).success === true, 'the direct dispatch to frontend failed');

    const steps = [
      { title: '2. Claude Code (the caller) calls `dispatch`', prompt: CALLER_PROMPTS.single, tool: 'dispatch' },
      { title: '3. Claude Code calls `dispatch_parallel`: two agents at once', prompt: CALLER_PROMPTS.parallel, tool: 'dispatch_parallel' },
    ];
    for (const step of steps) {
      say();
      say(step.title);
      say(`    ▸ caller  claude -p "${step.prompt}"`);
      say(`              in ${rel(ws.caller)}, with agent-dispatch serve as its MCP server`);
      let called = '';
      let toolOk = false;
      const outcome = await runCaller({ claudeBin: claude.path, selfCommand: self, prompt: step.prompt, cwd: ws.caller, env, signal }, {
        onToolUse(name, input) {
          called = name;
          say(`    → ${name} ${describeArgs(input)}`);
        },
        onToolResult(isError, content) {
          let data: Record<string, any> = {};
          try {
            data = JSON.parse(content.split('\n', 1)[0]!);
          } catch {
            data = { agent: '?', success: false, error: content };
          }
          const views: Record<string, any>[] = Array.isArray(data.results) ? data.results : [data];
          for (const view of views) say(`    ← ${describeView(view)}`);
          toolOk = !isError && views.every((v) => v.success === true);
        },
      });
      say(`    ▸ caller's reply: "${clip(outcome.reply, 200)}"`);
      say(`      caller · ${usd(outcome.costUsd)} · ${duration(outcome.durationMs)} (its own session, plus the agents' runs it waited for)`);
      check(outcome.mcpServers.some((s) => s.name === "agent-dispatch" && s.status === "connected"), `${step.tool}: the caller did not connect to agent-dispatch (${JSON.stringify(outcome.mcpServers)})`);
      check(called === `mcp__agent-dispatch__${step.tool}`, `${step.tool}: the caller did not call mcp__agent-dispatch__${step.tool}`);
      check(toolOk && !outcome.isError, `${step.tool}: the dispatch or the caller failed`);
    }

    say();
    const jobs: Record<string, any>[] = structured(await client.callTool({ name: 'dispatch_jobs', arguments: {} })).jobs ?? [];
    say(`▸ jobs       ${jobs.length} recorded in the job store (dispatch_jobs):`);
    for (const job of jobs) say(`    ${String(job.job_id)}  ${String(job.status).padEnd(9)} ${String(job.agent).padEnd(9)} ${clip(String(job.task ?? ''), 60)}`);
  } catch (error) {
    if (serverLog) ctx.stderr.write(`server log (last lines):\n${serverLog}\n`);
    throw error;
  } finally {
    await client?.close();
    await model?.close();
    if (!options.keep) ws.remove();
    say(`▸ cleanup    stopped the server and the stand-in model${options.keep ? `; kept ${ws.root}` : `; removed ${ws.root}`}`);
  }

  say();
  if (problems.length > 0) {
    for (const problem of problems) ctx.stderr.write(`demo: ${problem}\n`);
    if (serverLog) ctx.stderr.write(`server log (last lines):\n${serverLog}\n`);
    throw new CliExit(1);
  }
  // The same first steps as the README's "Using it for real".
  say('Demo passed. To use it for real, register the server with Claude Code and add your projects:');
  for (const step of DEMO_NEXT_STEPS) say(`    ${step}`);
}
