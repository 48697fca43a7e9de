// Real parts for the pool tests: a private redis-server on a free loopback port (temp dir, AOF, requirepass), and
// `agent-dispatch worker` processes, each with its own HOME, agents.yaml and agent directories (a "host").
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../support/harness.js';
import { AGENT_DISPATCH_BIN } from '../support/product.js';

/** Where Debian puts redis-server (.ci/run installs it). */
export const REDIS_SERVER = '/usr/bin/redis-server';
export const HAVE_REDIS = existsSync(REDIS_SERVER);
/** The fixture that stands in for claude: sleeps FIXTURE_SLEEP_MS, logs start/end lines to FIXTURE_LOG. */
export const SLEEPER = join(REPO_ROOT, 'test', 'fixtures', 'bin', 'claude-sleep.mjs');

// A free loopback port (the OS picks one, we release it for redis to take).
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A running private Redis. */
export interface TestRedis {
  port: number;
  password: string;
  url: string;
  dir: string;
  /** SIGKILL (no shutdown save: only the AOF survives). */
  kill(): Promise<void>;
  /** Start again on the same port and directory (reloads the AOF). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

// Start redis-server with AOF (fsync every second), noeviction and a random password.
export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'ad-redis-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--requirepass', password], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 15_000);
      proc!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc!.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
    });
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
    dir,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One worker process standing for a host. */
export interface TestWorker {
  host: string;
  proc: ChildProcess;
  /** JSON lines it printed so far. */
  lines: Record<string, unknown>[];
  root: string;
  /** Resolves once it printed a line of this type (and returns it). */
  until(type: string, match?: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** A host: its agents (name → settings), its settings, and extra environment. */
export interface HostSpec {
  host: string;
  agents: Record<string, Record<string, unknown>>;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  args?: string[];
}

// Start `agent-dispatch worker --json` for a host: agent directories are made under its root unless the spec
// names one (a missing directory stays missing). Waits for its "serving" line.
export async function startWorker(redis: TestRedis, spec: HostSpec, root = mkdtempSync(join(tmpdir(), `ad-${spec.host}-`))): Promise<TestWorker> {
  mkdirSync(join(root, 'home'), { recursive: true });
  const agents: Record<string, Record<string, unknown>> = {};
  for (const [name, settings] of Object.entries(spec.agents)) {
    const directory = (settings.directory as string | undefined) ?? join(root, name);
    if (settings.directory === undefined) mkdirSync(directory, { recursive: true });
    agents[name] = { ...settings, directory };
  }
  writeFileSync(join(root, 'agents.yaml'), stringify({ agents, settings: { queue: redis.url, pool_failover_seconds: 4, ...spec.settings } }));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: join(root, 'home'),
    AGENT_DISPATCH_CONFIG: join(root, 'agents.yaml'),
    AGENT_DISPATCH_STATE_DIR: join(root, 'state'),
    AGENT_DISPATCH_CLAUDE_BIN: SLEEPER,
    AGENT_DISPATCH_HOST: spec.host,
    ...spec.env,
  };
  const proc = spawn(process.execPath, [AGENT_DISPATCH_BIN, 'worker', '--json', ...(spec.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ type: 'text', text: line });
      }
      for (const w of waiters.splice(0)) w();
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => (resolve(code), waiters.splice(0).forEach((w) => w()))));
  const until = async (type: string, match: (line: Record<string, unknown>) => boolean = () => true) => {
    for (;;) {
      const found = lines.find((l) => l.type === type && match(l));
      if (found) return found;
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`worker ${spec.host} exited (${proc.exitCode ?? proc.signalCode}) before "${type}": ${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const worker = { host: spec.host, proc, lines, root, until, exited };
  await until('serving');
  return worker;
}

// Stop a worker gracefully and wait for it to exit.
export async function stopWorker(worker: TestWorker, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (worker.proc.exitCode !== null || worker.proc.signalCode !== null) return;
  worker.proc.kill(signal);
  await worker.exited;
}

/** start/end lines the sleeper wrote: [what, pid, ms]. */
export function fixtureLog(path: string): { what: string; pid: number; at: number }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [what, pid, at] = line.split(' ');
      return { what: what!, pid: Number(pid), at: Number(at) };
    });
}

// The most runs that overlapped, from start/end lines.
export function maxOverlap(log: { what: string; at: number }[]): number {
  let now = 0;
  let max = 0;
  for (const e of [...log].sort((a, b) => a.at - b.at || (a.what === 'end' ? -1 : 1))) {
    now += e.what === 'start' ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}
