// The only node:child_process import in src/. Everything that starts a process goes through here:
// supervised agent runs, short helper commands (runCommand) and the fully detached job supervisor (spawnDetached).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { DispatchError } from '../shared/errors.js';
import type { StopReason } from './adapter.js';
import { createGroupStop, type GroupStop, type StopOptions } from './process/stop.js';
import { armDeadline } from './terminate.js';

/** Default wait between SIGTERM and SIGKILL. */
export const DEFAULT_KILL_GRACE_MS = 3000;
/** How long the pipes may stay silent after the child exited before we stop reading them. */
export const DEFAULT_DRAIN_MS = 200;

/** How to run one supervised process. */
export interface SuperviseOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is 'ignore' (never our own, possibly MCP, stdin). */
  stdin?: string | Buffer;
  /** Keep stdin open after writing it, until the process exits (a remote run's liveness channel, see ssh/wrapper.ts). */
  holdStdin?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  killGraceMs?: number;
  drainMs?: number;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  onSpawn?(info: { pid: number; pgid: number }): void;
}

/** How a supervised process ended. */
export interface SupervisedExit {
  exitCode: number | null;
  signal: string | null;
  /** Set when we stopped it (first reason wins). */
  reason?: StopReason;
  /** Set when it never started (ENOENT, EACCES…). */
  spawnError?: NodeJS.ErrnoException;
  pid?: number;
}

/** A running supervised process. */
export interface SupervisedProcess {
  // Ends the process group now (SIGTERM, then SIGKILL after the grace period; the first reason is kept).
  stop(reason: StopReason, options?: StopOptions): void;
  /** Settles once the process has exited and both pipes are closed (or abandoned to a lingering grandchild). */
  readonly exited: Promise<SupervisedExit>;
}

// Spawns command in its own process group with an argv array (never a shell) and supervises it to the end.
export function superviseProcess(options: SuperviseOptions): SupervisedProcess {
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      detached: true,
      windowsHide: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    return { stop() {}, exited: Promise.resolve({ exitCode: null, signal: null, spawnError: error as NodeJS.ErrnoException }) };
  }

  let group: GroupStop<StopReason> | undefined;
  let pendingStop: { reason: StopReason; options?: StopOptions } | undefined;
  let settle: (exit: SupervisedExit) => void = () => {};
  const exited = new Promise<SupervisedExit>((resolve) => (settle = resolve));
  let exit: { code: number | null; signal: string | null } | undefined;
  let openPipes = 2;
  let lastData = 0;
  let done = false;
  let disarm = () => {};

  const finish = (result: SupervisedExit) => {
    if (done) return;
    done = true;
    disarm();
    settle(result);
  };
  const maybeFinish = () => {
    if (exit === undefined || openPipes > 0) return;
    finish({ exitCode: exit.code, signal: exit.signal, ...(group?.reason ? { reason: group.reason } : {}), ...(child.pid ? { pid: child.pid } : {}) });
  };
  const stop = (reason: StopReason, stopOptions?: StopOptions) => {
    if (group) group.stop(reason, stopOptions);
    else pendingStop ??= { reason, ...(stopOptions ? { options: stopOptions } : {}) };
  };

  child.stdout?.on('data', (chunk: Buffer) => {
    lastData = Date.now();
    options.onStdout(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    lastData = Date.now();
    options.onStderr(chunk);
  });
  for (const pipe of [child.stdout, child.stderr]) {
    pipe?.on('error', () => {});
    pipe?.on('close', () => {
      openPipes -= 1;
      maybeFinish();
    });
  }

  child.on('spawn', () => {
    const pid = child.pid as number;
    group = createGroupStop<StopReason>({ pgid: pid, graceMs });
    options.onSpawn?.({ pid, pgid: pid });
    disarm = armDeadline({ timeoutMs: options.timeoutMs, signal: options.signal, onStop: stop });
    if (pendingStop) group.stop(pendingStop.reason, pendingStop.options);
    if (child.stdin) {
      child.stdin.on('error', () => {}); // EPIPE when the child exits without reading: its exit tells the story.
      if (options.holdStdin) child.stdin.write(options.stdin ?? '');
      else child.stdin.end(options.stdin);
    }
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    if (child.pid === undefined) finish({ exitCode: null, signal: null, spawnError: error });
  });
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    child.stdin?.destroy();
    group?.afterExit();
    drainThenClose(child, options.drainMs ?? DEFAULT_DRAIN_MS, Math.max(graceMs * 2, 5000), () => lastData, () => openPipes === 0);
    maybeFinish();
  });

  return { stop, exited };
}

// After the leader exits, keep reading while data flows; once the pipes go quiet, destroy them, because a
// grandchild that inherited them (and ignores SIGTERM) would otherwise keep them open until SIGKILL or forever.
function drainThenClose(child: ChildProcess, quietMs: number, maxMs: number, lastData: () => number, closed: () => boolean): void {
  const start = Date.now();
  const check = () => {
    if (closed()) return;
    const now = Date.now();
    if (now - lastData() < quietMs && now - start < maxMs) {
      setTimeout(check, quietMs).unref();
      return;
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  setTimeout(check, quietMs).unref();
}

/** Result of runCommand. */
export interface CommandResult {
  /** null when the command could not start or was killed. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not start, e.g. "spawn git ENOENT". */
  error?: string;
}

// Runs a short helper command (`claude mcp add …`, `git status`) to completion; never throws, never uses a shell.
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string; maxBytes?: number; signal?: AbortSignal } = {},
): Promise<CommandResult> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const out = collector(maxBytes);
  const err = collector(maxBytes);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env ?? process.env)) if (value !== undefined) env[key] = value;
  const run = superviseProcess({
    command,
    args,
    cwd: options.cwd ?? process.cwd(),
    env,
    ...(options.input === undefined ? {} : { stdin: options.input }),
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(options.signal ? { signal: options.signal } : {}),
    killGraceMs: 1000,
    onStdout: out.push,
    onStderr: err.push,
  });
  const exit = await run.exited;
  return {
    exitCode: exit.exitCode,
    signal: exit.signal,
    stdout: out.text(),
    stderr: err.text(),
    timedOut: exit.reason === 'timeout',
    ...(exit.spawnError ? { error: exit.spawnError.message } : {}),
  };
}

function collector(maxBytes: number) {
  const chunks: Buffer[] = [];
  let bytes = 0;
  return {
    push(chunk: Buffer) {
      if (bytes >= maxBytes) return;
      const piece = chunk.subarray(0, maxBytes - bytes);
      chunks.push(Buffer.from(piece));
      bytes += piece.length;
    },
    text: () => Buffer.concat(chunks, bytes).toString('utf8'),
  };
}

// Starts a process that outlives us (the background job supervisor): own session, no pipes to us, unref'd.
// Output goes to logFile (appended) or nowhere. Returns its pid; throws DispatchError when it cannot start.
export function spawnDetached(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string } = {}): number {
  const fd = options.logFile === undefined ? undefined : openSync(options.logFile, 'a', 0o600);
  try {
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? process.env,
      shell: false,
      detached: true,
      windowsHide: true,
      stdio: ['ignore', fd ?? 'ignore', fd ?? 'ignore'],
    });
    child.on('error', () => {}); // reported below through the missing pid
    if (child.pid === undefined) {
      throw new DispatchError('SPAWN_FAILED', `Could not start ${command}.`, { hint: 'Check that the executable exists and is executable.' });
    }
    child.unref();
    return child.pid;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A process that outlives its parent only to stop the parent's agents: see spawnWatchdog. */
export interface Watchdog {
  /** Stop this process group if the parent dies. */
  watch(pgid: number): void;
  /** The group ended normally: forget it. */
  forget(pgid: number): void;
}

// The watchdog's whole program: it reads "+pgid"/"-pgid" lines; when its stdin ends (the parent exited, even by
// SIGKILL, since the kernel closes the parent's end of the pipe), it TERMs every watched group, KILLs them after
// a grace, and exits. Plain node, no files: `node -e`.
const WATCHDOG_SOURCE = `const g=new Set();let b='';process.stdin.on('data',d=>{b+=d;let i;while((i=b.indexOf('\\n'))>=0){const l=b.slice(0,i);b=b.slice(i+1);const n=Number(l.slice(1));if(n>1)(l[0]==='+'?g.add(n):g.delete(n));}});
process.stdin.on('end',()=>{const k=s=>{for(const p of g){try{process.kill(-p,s)}catch{}}};k('SIGTERM');setTimeout(()=>{k('SIGKILL');process.exit(0)},${DEFAULT_KILL_GRACE_MS}).unref();if(g.size===0)process.exit(0);});`;

// Start a watchdog in its own process group (a kill of the parent's group spares it) that kills the watched agent
// groups when this process dies: a pool worker's agents must not outlive it (issue 15), and Node has no
// parent-death signal. Neither the child nor its pipe keeps this process alive.
export function spawnWatchdog(): Watchdog {
  const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], { shell: false, detached: true, windowsHide: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => {});
  child.stdin!.on('error', () => {});
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const send = (line: string) => void child.stdin!.write(`${line}\n`);
  return { watch: (pgid) => send(`+${pgid}`), forget: (pgid) => send(`-${pgid}`) };
}
