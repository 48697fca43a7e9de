// Test harness for running the real Claude Code CLI offline: temp HOME and project dirs, the CLI's environment,
// a spawn helper that never leaves a process behind, and `createBackbone()` that bundles them with a stand-in model.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startFakeModel, type FakeModel, type FakeModelOptions } from './fake-anthropic.js';

/** Repository root (where package.json lives). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** The pinned Claude Code CLI (devDependency @anthropic-ai/claude-code, exact version). */
export const CLAUDE_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'claude');
/** The stdio MCP test server (tools `echo` and `sleep`); start it with `node`. */
export const ECHO_MCP_SERVER = join(REPO_ROOT, 'test', 'support', 'echo-mcp-server.mjs');

/** What the CLI's environment is built from. */
export interface ClaudeEnvOptions {
  home: string;
  /** The stand-in's URL (ANTHROPIC_BASE_URL). */
  baseUrl: string;
  /** TMPDIR for the CLI (it puts `claude-<uid>/` and `cc-socks/` there); default: the system's. */
  tmpDir?: string;
  /** CLAUDE_CODE_MAX_RETRIES (default 0: one request per API call, failures end in about 1 s). */
  maxRetries?: number;
  /** Set IS_SANDBOX=1, which bypassPermissions needs when running as root. */
  isSandbox?: boolean;
  /** Added last; `undefined` removes a variable. */
  extra?: Record<string, string | undefined>;
}

// A complete environment for the CLI, built from nothing (no inherited API keys, CLAUDECODE or user config).
export function claudeEnv(options: ClaudeEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: [join(REPO_ROOT, 'node_modules', '.bin'), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: options.home,
    ANTHROPIC_API_KEY: 'sk-test',
    ANTHROPIC_BASE_URL: options.baseUrl,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: String(options.maxRetries ?? 0),
    ...(options.tmpDir ? { TMPDIR: options.tmpDir } : {}),
    ...(options.isSandbox ? { IS_SANDBOX: '1' } : {}),
  };
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** What one CLI run produced. */
export interface ClaudeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when runClaude killed it for overrunning `timeoutMs`. */
  timedOut: boolean;
  durationMs: number;
  /** stdout parsed as one JSON value (`--output-format json`); throws with the output when it is not JSON. */
  json<T = any>(): T;
  /** stdout parsed as JSON lines (`--output-format stream-json --verbose`); non-JSON lines are skipped. */
  events(): any[];
  /** The `type: "result"` object, from either format (undefined when there is none). */
  result(): any;
}

/** Options for one CLI run. */
export interface RunClaudeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the process group after this long (default 60 s). */
  timeoutMs?: number;
  /** Executable to run instead of the pinned CLI (e.g. a fixture). */
  bin?: string;
  /** Called right after spawn (e.g. to send a signal mid-run). */
  onSpawn?: (child: ChildProcess) => void;
  /** Children are added while they run, so a cleanup can kill them. */
  track?: Set<ChildProcess>;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

// Run the CLI with stdin closed, in its own process group, collecting stdout and stderr.
export function runClaude(args: string[], options: RunClaudeOptions): Promise<ClaudeRun> {
  const started = performance.now();
  const child = spawn(options.bin ?? CLAUDE_BIN, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
  options.track?.add(child);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child, 'SIGTERM');
    setTimeout(() => killGroup(child, 'SIGKILL'), 2000).unref();
  }, options.timeoutMs ?? 60_000);
  options.onSpawn?.(child);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (error) => (clearTimeout(timer), options.track?.delete(child), reject(error)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.track?.delete(child);
      const events = () => stdout.split('\n').flatMap((line) => {
        try {
          return line.trim() ? [JSON.parse(line)] : [];
        } catch {
          return [];
        }
      });
      const json = () => {
        try {
          return JSON.parse(stdout);
        } catch {
          throw new Error(`claude stdout is not JSON (exit ${code}, signal ${signal}):\n${stdout.slice(0, 2000)}\nstderr:\n${stderr.slice(0, 2000)}`);
        }
      };
      const result = () => {
        const all = events();
        const single = all.length === 1 && Array.isArray(all[0]) ? all[0] : all;
        return single.findLast((e: any) => e?.type === 'result');
      };
      resolvePromise({ code, signal, stdout, stderr, timedOut, durationMs: performance.now() - started, json, events, result });
    });
  });
}

/** A throwaway HOME, TMPDIR and project dirs under one temp root. */
export interface Sandbox {
  root: string;
  home: string;
  tmp: string;
  /** Create `<root>/projects/<name>` with an optional CLAUDE.md and files (paths relative to it); returns its path. */
  project(name: string, options?: { claudeMd?: string; files?: Record<string, string> }): string;
  /** The CLI's environment for this sandbox (HOME, TMPDIR set). */
  env(baseUrl: string, options?: Omit<ClaudeEnvOptions, 'home' | 'baseUrl'>): NodeJS.ProcessEnv;
  /** runClaude, tracked so cleanup() kills what is still running. */
  runClaude(args: string[], options: Omit<RunClaudeOptions, 'track'>): Promise<ClaudeRun>;
  /** Kill tracked runs (whole process groups), then delete the root. */
  cleanup(): Promise<void>;
}

// Write files below `dir`, creating folders as needed.
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, body] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, body);
  }
}

// Create a sandbox under the system temp dir (realpath'd, so it matches what the CLI reports as cwd).
export function createSandbox(prefix = 'ad-test-'): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  const live = new Set<ChildProcess>();
  return {
    root,
    home,
    tmp,
    project(name, options = {}) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`sandbox.project: name must be [A-Za-z0-9_.-]+, got ${JSON.stringify(name)}`);
      const dir = join(root, 'projects', name);
      mkdirSync(dir, { recursive: true });
      writeFiles(dir, { ...(options.claudeMd !== undefined ? { 'CLAUDE.md': options.claudeMd } : {}), ...options.files });
      return dir;
    },
    env: (baseUrl, options = {}) => claudeEnv({ tmpDir: tmp, ...options, home, baseUrl }),
    runClaude: (args, options) => runClaude(args, { ...options, track: live }),
    async cleanup() {
      const exits = [...live].map((child) => new Promise((r) => child.once('close', r)));
      for (const child of live) killGroup(child, 'SIGKILL');
      await Promise.all(exits);
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A sandbox plus a running stand-in model, wired together. */
export interface Backbone {
  model: FakeModel;
  sandbox: Sandbox;
  home: string;
  project: Sandbox['project'];
  /** The CLI's environment pointing at this backbone's model. */
  env(options?: Omit<ClaudeEnvOptions, 'home' | 'baseUrl'>): NodeJS.ProcessEnv;
  /** Run the real CLI in `cwd` against the model; env options go to env(), `env.extra` wins. */
  claude(args: string[], options: { cwd: string; timeoutMs?: number; onSpawn?: RunClaudeOptions['onSpawn'] } & Omit<ClaudeEnvOptions, 'home' | 'baseUrl'>): Promise<ClaudeRun>;
  /** Kill runs, close the model, delete the sandbox. */
  cleanup(): Promise<void>;
}

// Start a stand-in model and a sandbox; call cleanup() in afterAll/afterEach.
export async function createBackbone(options: FakeModelOptions = {}): Promise<Backbone> {
  const sandbox = createSandbox();
  const model = await startFakeModel(options);
  const env: Backbone['env'] = (envOptions = {}) => sandbox.env(model.url, envOptions);
  return {
    model,
    sandbox,
    home: sandbox.home,
    project: sandbox.project,
    env,
    claude(args, { cwd, timeoutMs, onSpawn, ...envOptions }) {
      return sandbox.runClaude(args, { cwd, env: env(envOptions), timeoutMs, onSpawn });
    },
    async cleanup() {
      await sandbox.cleanup();
      await model.close();
    },
  };
}

// An `--mcp-config` JSON string for the echo MCP server, named `name` (tools become mcp__<name>__echo / __sleep).
export function echoMcpConfig(options: { name?: string; logFile?: string } = {}): string {
  const env = options.logFile ? { MCP_LOG: options.logFile } : {};
  return JSON.stringify({ mcpServers: { [options.name ?? 'echo']: { command: process.execPath, args: [ECHO_MCP_SERVER], env } } });
}
