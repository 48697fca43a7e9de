// createRunner: one supervised CLI run per request, live events, one RunResult whatever happens.
// Runtime-agnostic: the adapter knows the CLI; this file knows processes, limits and the result shape.
import { randomUUID } from 'node:crypto';
import { directoryProblem } from '../shared/directory.js';
import { DispatchError, isDispatchError } from '../shared/errors.js';
import { approvalsProblem } from './approvals.js';
import { silentLogger } from '../shared/log.js';
import type { RunEvent, RunOptions, RunRequest, RunResult, WorkTreeStatus } from '../shared/types.js';
import { ZERO_USAGE, type OutputParser, type RunFailure, type RuntimeAdapter } from './adapter.js';
import { buildChildEnv, readChain, readDepth } from './env.js';
import { capText, DEFAULT_MAX_OUTPUT_BYTES, TailBuffer } from './output.js';
import { buildPrompt } from './prompt.js';
import { createRuntimeAdapters } from './runtimes.js';
import { createGit, type GitRunner } from './git/git.js';
import { openWorkspace, type Workspace } from './git/workspace.js';
import { readWorkTreeStatus as readStatus } from './git/measure.js';
import { checkRequest, effectiveTimeoutSeconds } from './request.js';
import { superviseProcess } from './spawn.js';
import { classifySshExit, stripExitRecord } from './ssh/outcome.js';
import { remoteSpawn } from './ssh/transport.js';
import { openRelayForward } from './ssh/relay-forward.js';
import { DEFAULT_MAX_LINE_BYTES, LineBuffer } from './stream.js';
import type { Runner, RunnerOptions } from './types.js';

// The rest of the runner's public surface: what jobs/ needs besides createRunner (see types.ts).
export { buildPrompt, promptSections, type PromptParts, type PromptSection } from './prompt.js';
export type { ModelPrice } from './runtimes.js';
export { runCommand, spawnDetached, spawnWatchdog, type CommandResult, type Watchdog } from './spawn.js';
export type { Runner, RunnerOptions } from './types.js';
export type { SshClient } from './ssh/connection.js';
export { DEFAULT_MAX_OUTPUT_BYTES } from './output.js';
export { approvalsProblem, APPROVAL_SECRET_VAR, APPROVAL_SOCKET_VAR, APPROVAL_TOOL, APPROVAL_TOOL_ID, APPROVAL_SERVER } from './approvals.js';
export { findOverlaps } from './git/changes.js';
export { projectStateOf } from './git/measure.js';
export type { WorktreeManager } from './git/manage.js';
export type { WorktreeRecord } from './git/records.js';

// The `git status` of a local directory as a run's snapshot reads it (see RunOptions.workTreeStatus); undefined
// outside a work tree. Short timeout: it only feeds the cache key, and the snapshot asks again when it is missing.
export function readWorkTreeStatus(directory: string, env: NodeJS.ProcessEnv = process.env): Promise<WorkTreeStatus | undefined> {
  return readStatus(createGit(env, 5_000), directory, env);
}

/** Default settings.max_dispatch_depth. */
export const DEFAULT_MAX_DEPTH = 3;
const DEFAULT_LINGER_MS = 10_000;

// Creates a runner; nothing is read from config or disk until run() is called.
export function createRunner(options: RunnerOptions = {}): Runner {
  const adapters: Partial<Record<string, RuntimeAdapter>> = { ...createRuntimeAdapters(), ...options.adapters };
  // One git runner for every run (it copies the environment once), made at the first run that needs it.
  let git = options.git;
  const gitFor = (env: NodeJS.ProcessEnv) => (git ??= createGit(env));
  return { run: (request, runOptions = {}) => runOnce(request, runOptions, options, adapters, gitFor) };
}

async function runOnce(
  request: RunRequest,
  runOptions: RunOptions,
  options: RunnerOptions,
  adapters: Partial<Record<string, RuntimeAdapter>>,
  gitFor: (env: NodeJS.ProcessEnv) => GitRunner,
): Promise<RunResult> {
  const started = Date.now();
  const log = options.logger ?? silentLogger;
  const parentEnv = options.env ?? process.env;
  const fail = (error: RunFailure) => failed(request, started, error);
  try {
    checkRequest(request);
  } catch (error) {
    return fail(invalidInput(error));
  }
  const { agent } = request;
  const adapter = adapters[agent.runtime ?? 'claude'];
  if (!adapter) {
    return fail({ type: 'cli_error', message: `Runtime "${agent.runtime}" is not supported yet.`, hint: `Set agent ${agent.name}'s runtime to claude.` });
  }
  const depth = readDepth(parentEnv);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (depth >= maxDepth) {
    return fail({
      type: 'recursion',
      message: `Dispatch depth ${depth} has reached max_dispatch_depth (${maxDepth}); agent ${agent.name} was not started.`,
      hint: 'Do the work here instead of dispatching again; if the nesting is intended, raise settings.max_dispatch_depth.',
    });
  }
  // A → B → A: the target is already working higher up this chain, so running it again would loop.
  const chain = readChain(parentEnv);
  if (chain.includes(chainName(agent.name))) {
    return fail({
      type: 'recursion',
      message: `Agent ${agent.name} is already on this dispatch chain (${[...chain, agent.name].join(' → ')}); it was not started again.`,
      hint: `Answer from here instead of dispatching back to ${agent.name}, or return what you found to the agent that dispatched you.`,
    });
  }
  if (runOptions.signal?.aborted) return fail({ type: 'cancelled', message: `The run of agent ${agent.name} was cancelled before it started.` });
  // A remote agent's directory is checked on its host by the wrapper (exit 97 → unreachable).
  const remote = agent.host !== undefined;
  // Where a remote agent's CLI runs (its forward for approvals opens to the same place).
  const endpoint = remote ? { host: agent.host!, ...(agent.sshOptions ? { sshOptions: agent.sshOptions } : {}) } : undefined;
  const problem = remote ? undefined : directoryProblem(agent.directory);
  if (problem) {
    return fail({
      type: 'not_found',
      message: `The directory of agent ${agent.name} ${problem.reason}: ${agent.directory}`,
      hint: problem.missing
        ? `Point the agent at an existing project: \`agent-dispatch update ${agent.name} --directory PATH\`.`
        : `Fix the path or its permissions, or point the agent at another project: \`agent-dispatch update ${agent.name} --directory PATH\`.`,
    });
  }

  // The git side (issue 19): the run's directory (maybe a fresh worktree) and, on every result, what it changed.
  // A remote agent's checkout is on its host: git measurements and worktrees there are not built yet (see README).
  if (remote && (request.isolation ?? agent.isolation) === 'worktree') {
    return fail({ type: 'cli_error', message: `Invalid input: isolation "worktree" is not available for agent ${agent.name}, which runs on SSH host ${agent.host}.`, hint: 'Dispatch with isolation "none", or define the agent on its host.' });
  }
  // Approvals "ask" on a runtime that cannot hand a request over: refused before a forward or a worktree is made.
  const relayProblem = runOptions.approvalRelay ? approvalsProblem(agent) : undefined;
  if (relayProblem) return fail(invalidInput(new DispatchError('INVALID_INPUT', relayProblem, { hint: 'Dispatch with approvals "deny", or grant the tools it needs in allowed_tools.' })));
  if (remote) {
    if (!runOptions.approvalRelay) return runIn(agent.directory, adapter);
    const opened = await openRelayForward(runOptions.approvalRelay, { endpoint: endpoint!, agent: agent.name, env: parentEnv, settings: options.ssh?.settings ?? {}, ...(options.ssh?.sshBinary ? { binary: options.ssh.sshBinary } : {}), ...(runOptions.signal ? { signal: runOptions.signal } : {}) });
    if ('failure' in opened) {
      if (runOptions.signal?.aborted) return fail({ type: 'cancelled', message: `The run of agent ${agent.name} was cancelled before it started.` });
      return fail(opened.failure);
    }
    try {
      return await runIn(agent.directory, adapter, opened.relay);
    } finally {
      await opened.cancel();
    }
  }
  let workspace: Workspace;
  try {
    workspace = await openWorkspace({ git: gitFor(parentEnv), logger: log, ...(options.worktreesDir ? { worktreesDir: options.worktreesDir } : {}) }, request, runOptions);
  } catch (error) {
    return fail(workspaceFailure(error));
  }
  const result = await runIn(workspace.cwd, adapter);
  return workspace.finish(result);

  async function runIn(cwd: string, adapter: RuntimeAdapter, relay = runOptions.approvalRelay): Promise<RunResult> {
  const timeoutSeconds = effectiveTimeoutSeconds(request);
  // Remote: the CLI starts from its host's login environment, plus the agent's env and our markers (never ours).
  const baseEnv = buildChildEnv(remote ? {} : parentEnv, agent.env, depth + 1, [...chain, agent.name], runOptions.jobId);
  let invocation;
  try {
    invocation = adapter.buildInvocation(request, {
      prompt: request.prompt ?? buildPrompt(request),
      newSessionId: randomUUID(),
      env: baseEnv,
      ...(remote ? { remote } : {}),
      ...(relay ? { approvals: relay } : {}),
    });
  } catch (error) {
    return fail(invalidInput(error));
  }
  // A local override (AGENT_DISPATCH_CLAUDE_BIN) names a file here; on a host the CLI is found on its PATH.
  const binary = remote ? adapter.defaultBinary : (options.binaries?.[adapter.name] ?? adapter.defaultBinary);
  const env = { ...baseEnv, ...invocation.env };
  let spawnSpec: { command: string; args: string[]; cwd: string; env: Record<string, string>; stdin?: string | Buffer; holdStdin?: boolean };
  try {
    spawnSpec = remote
      ? { ...remoteSpawn({ endpoint: endpoint!, directory: agent.directory, binary, args: invocation.args, env, prompt: invocation.stdin ?? '', ...(options.ssh ?? {}) }), cwd: '/', env: buildChildEnv(parentEnv, undefined, depth + 1, [...chain, agent.name]), holdStdin: true }
      : { command: binary, args: invocation.args, cwd, env, ...(invocation.stdin === undefined ? {} : { stdin: invocation.stdin }) };
  } catch (error) {
    invocation.cleanup?.();
    return fail(invalidInput(error));
  }
  let parser: OutputParser;
  try {
    parser = adapter.createParser({ request, invocation, timeoutSeconds });
  } catch (error) {
    invocation.cleanup?.();
    return fail(invalidInput(error));
  }
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const lines = new LineBuffer({ maxLineBytes: Math.max(DEFAULT_MAX_LINE_BYTES, maxOutputBytes * 4) });
  const stderr = new TailBuffer();
  let skippedLines = 0;
  let lingerTimer: NodeJS.Timeout | undefined;

  const emit = (event: RunEvent) => {
    if (!runOptions.onEvent) return;
    try {
      runOptions.onEvent(event.type === 'result' ? { ...event, text: capText(event.text, maxOutputBytes).text } : event);
    } catch (error) {
      log.warn(`onEvent threw for a ${event.type} event: ${String(error)}`);
    }
  };
  // A parser bug on some unexpected line must not crash the process from inside a stream 'data' handler.
  const pushSafely = (p: OutputParser, value: Record<string, unknown>) => {
    try {
      return p.push(value);
    } catch (error) {
      log.warn(`agent ${agent.name}: could not read an output event: ${String(error)}`);
      return [];
    }
  };
  const readLines = (parser: OutputParser) => {
    for (let line = lines.next(); line !== null; line = lines.next()) {
      if (line.kind === 'json') for (const event of pushSafely(parser, line.value)) emit(event);
      else {
        skippedLines += 1;
        log.debug(line.kind === 'text' ? `agent ${agent.name}: non-JSON output: ${line.text.slice(0, 200)}` : `agent ${agent.name}: dropped a ${line.bytes}-byte output line`);
      }
    }
  };

  const run = superviseProcess({
    ...spawnSpec,
    timeoutMs: timeoutSeconds * 1000,
    ...(runOptions.signal ? { signal: runOptions.signal } : {}),
    killGraceMs: options.killGraceMs ?? 3000,
    onSpawn: (info) => {
      try {
        options.onSpawn?.(info);
        runOptions.onSpawn?.(info);
      } catch (error) {
        log.warn(`onSpawn threw: ${String(error)}`);
      }
    },
    onStderr: (chunk) => stderr.push(chunk),
    onStdout: (chunk) => {
      lines.append(chunk);
      readLines(parser);
      // Some CLIs linger after their final answer (MCP servers shutting down): do not wait a full timeout for that.
      if (parser.halt) run.stop('finished');
      if (parser.done && lingerTimer === undefined) lingerTimer = setTimeout(() => run.stop('finished'), options.lingerMs ?? DEFAULT_LINGER_MS).unref();
    },
  });
  const exit = await run.exited;
  try {
    invocation.cleanup?.();
  } catch (error) {
    log.warn(`agent ${agent.name}: could not remove the run's temp files: ${String(error)}`);
  }
  clearTimeout(lingerTimer);
  lines.end();
  readLines(parser);

  if (exit.spawnError) {
    const missing = exit.spawnError.code === 'ENOENT';
    const command = spawnSpec.command;
    return fail({
      type: missing ? 'not_found' : 'cli_error',
      message: missing ? `The ${remote ? 'ssh' : adapter.name} executable was not found: ${command}` : `Could not start ${command}: ${exit.spawnError.message}`,
      hint: missing ? (remote ? 'Install the OpenSSH client (ssh) on this machine.' : adapter.installHint) : `Check that ${command} is executable.`,
    });
  }
  const rawStderr = stderr.toString();
  // The wrapper's exit record is for the classification below, not for the person reading the tail.
  const stderrTail = remote ? stripExitRecord(rawStderr) : rawStderr;
  const outcome = parser.finish({ exitCode: exit.exitCode, signal: exit.signal, stderrTail, skippedLines, ...(exit.reason ? { reason: exit.reason } : {}) });
  // ssh's own failures and the wrapper's (no directory, no CLI) win over whatever the adapter made of the exit.
  const unreachable = remote && !exit.reason && !outcome.ok ? classifySshExit(exit.exitCode, rawStderr, { agent: agent.name, host: agent.host!, directory: agent.directory, binary }) : undefined;
  if (unreachable) outcome.error = unreachable;
  return {
    ok: outcome.ok,
    agent: agent.name,
    runtime: adapter.name,
    // The whole answer (a line longer than the line cap never gets here): callers cut what they show inline,
    // the job store keeps it all for fetch_result.
    text: outcome.text,
    ...(outcome.structured === undefined ? {} : { structured: outcome.structured }),
    ...(outcome.sessionId === undefined ? {} : { sessionId: outcome.sessionId }),
    costUsd: outcome.costUsd,
    usage: outcome.usage,
    numTurns: outcome.numTurns,
    durationMs: Date.now() - started,
    permissionDenials: outcome.permissionDenials,
    exitCode: exit.exitCode,
    signal: exit.signal,
    stderrTail,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  }
}

// A worktree that could not be made or found: the caller's to fix, with git's reason.
function workspaceFailure(error: unknown): RunFailure {
  if (!isDispatchError(error)) return { type: 'cli_error', message: `Could not prepare the run's git worktree: ${String(error)}` };
  return { type: error.code === 'WORKTREE_NOT_FOUND' ? 'not_found' : 'cli_error', message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

// A result for a run that never started.
function failed(request: RunRequest, started: number, error: RunFailure): RunResult {
  return {
    ok: false,
    agent: typeof request?.agent?.name === 'string' ? request.agent.name : '',
    runtime: request?.agent?.runtime ?? 'claude',
    text: '',
    costUsd: 0,
    usage: { ...ZERO_USAGE },
    numTurns: 0,
    durationMs: Date.now() - started,
    permissionDenials: [],
    exitCode: null,
    signal: null,
    stderrTail: '',
    error,
  };
}

// Bad input is the caller's to fix, reported as a result; anything else thrown here is our bug, reported the same way.
function invalidInput(error: unknown): RunFailure {
  if (!isDispatchError(error)) return { type: 'cli_error', message: `Could not prepare the run: ${String(error)}` };
  return { type: 'cli_error', message: `Invalid input: ${error.message}`, ...(error.hint ? { hint: error.hint } : {}) };
}

// An agent name as buildChildEnv writes it into the chain.
function chainName(name: string): string {
  return name.replaceAll(',', '_');
}
