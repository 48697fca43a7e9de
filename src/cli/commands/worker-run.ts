// The body of `agent-dispatch worker` (see worker.ts), loaded only when that command runs.
import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { agentNames, type Config } from '../../config/index.js';
import { spawnWatchdog } from '../../runner/index.js';
import { createLogger } from '../../shared/log.js';
import { parseQueueUrl, queueUrlOf } from '../../shared/queue-url.js';
import { DispatchError } from '../../shared/errors.js';
import { VERSION } from '../../shared/version.js';
import { openConfigStore, printWarnings } from '../config-store.js';
import type { CliContext } from '../context.js';
import { findExecutable } from '../init/which.js';
import { binaries, runnerFactory, serveRemote, stateDirOf } from '../services.js';
import { createSshClient } from '../../runner/ssh/connection.js';
import { createAllowAlways } from '../allow-always.js';
import { splitList } from '../../config/validate.js';

/** One agent the worker will not serve, and why. */
export interface Skipped {
  agent: string;
  reason: string;
}

// Which agents this host can serve: the directory exists and the runtime's CLI is found. SSH agents are left to
// a worker on their own host.
export function servable(config: Config, env: NodeJS.ProcessEnv, cwd: string, only?: string[]): { agents: string[]; skipped: Skipped[] } {
  const names = agentNames(config);
  const unknown = (only ?? []).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new DispatchError('AGENT_NOT_FOUND', `--agents names ${unknown.map((n) => `"${n}"`).join(', ')}, not in this host's agents.yaml.`, { hint: `Known here: ${names.join(', ') || '(none)'}.` });
  const agents: string[] = [];
  const skipped: Skipped[] = [];
  const overrides = binaries(env);
  for (const name of only ?? names) {
    const agent = config.agents[name]!;
    const runtime = agent.runtime;
    const bin = overrides[runtime] ?? runtime;
    let isDir = false;
    try {
      isDir = statSync(agent.directory).isDirectory();
    } catch {
      isDir = false;
    }
    if (agent.host !== undefined) skipped.push({ agent: name, reason: `runs over SSH on ${agent.host}; start a worker there` });
    else if (!isDir) skipped.push({ agent: name, reason: `directory ${agent.directory} ${existsSync(agent.directory) ? 'is not a directory' : 'does not exist on this host'}` });
    else if (!findExecutable(bin, env, cwd)) skipped.push({ agent: name, reason: `the ${runtime} CLI (${bin}) is not installed here` });
    else agents.push(name);
  }
  return { agents, skipped };
}

// Serve until SIGTERM/SIGINT, then stop taking jobs and let running ones finish for the grace period.
export async function runPoolWorker(ctx: CliContext, flags: { agents?: string; json?: boolean }): Promise<void> {
  const store = openConfigStore(ctx);
  const loaded = store.get();
  printWarnings(ctx, loaded);
  const url = queueUrlOf(loaded.config.settings.queue, ctx.env);
  if (url === undefined) throw new DispatchError('INVALID_INPUT', 'No queue configured: the worker needs the pool\'s Redis.', { hint: 'Set settings.queue in agents.yaml or AGENT_DISPATCH_QUEUE (redis://[user:password@]host:port[/db]).' });
  let endpoint;
  try {
    endpoint = parseQueueUrl(url);
  } catch (error) {
    throw new DispatchError('INVALID_INPUT', (error as Error).message, { hint: 'Fix settings.queue or AGENT_DISPATCH_QUEUE.' });
  }
  const host = ctx.env.AGENT_DISPATCH_HOST?.trim() || hostname();
  const { agents, skipped } = servable(loaded.config, ctx.env, ctx.cwd, flags.agents === undefined ? undefined : splitList(flags.agents));
  const say = (json: Record<string, unknown>, text: string) => void ctx.stdout.write(flags.json ? `${JSON.stringify({ at: new Date().toISOString(), ...json })}\n` : `${text}\n`);
  for (const s of skipped) say({ type: 'skipped', agent: s.agent, reason: s.reason }, `skipped ${s.agent}: ${s.reason}`);
  if (agents.length === 0) throw new DispatchError('AGENT_NOT_FOUND', 'This host can serve none of its agents.', { hint: 'Add one with `agent-dispatch add NAME DIR`, or fix the reasons above.' });
  const logger = createLogger({ level: 'warn', write: (line) => void ctx.stderr.write(line) });
  let ssh: ReturnType<typeof createSshClient> | undefined;
  const runner = runnerFactory(ctx, logger, stateDirOf(ctx), () => (ssh ??= createSshClient({ env: ctx.env })));
  const runnerFor = (config: Config) =>
    runner({ maxDepth: config.settings.max_dispatch_depth, ...(config.settings.max_output_bytes ? { maxOutputBytes: config.settings.max_output_bytes } : {}), ...(config.settings.prices ? { prices: config.settings.prices } : {}) });
  const { startPoolWorker } = await import('../../pool/index.js');
  const worker = await startPoolWorker({
    endpoint,
    host,
    config: () => store.get().config,
    agents,
    runner: runnerFor,
    watchdog: spawnWatchdog(),
    version: VERSION,
    // Approvals "ask": the agent's requests reach a broker on this host, which hands them back through Redis.
    ...(ctx.selfCommand ? { approvals: { relayCommand: ctx.selfCommand, dir: stateDirOf(ctx), allowAlways: createAllowAlways(store), logger, serveRemote } } : {}),
    notify: (n) => {
      if (n.type === 'job_started') say({ ...n }, `started ${n.id.slice(0, 8)} ${n.agent}: ${n.task}`);
      else if (n.type === 'job_finished') say({ ...n }, `finished ${n.id.slice(0, 8)} ${n.agent}: ${n.status} in ${(n.durationMs / 1000).toFixed(1)} s`);
      else if (n.type === 'job_failed_over') say({ ...n }, `failed ${n.id.slice(0, 8)} ${n.agent}: ${n.reason}`);
      else if (n.type === 'job_handed_back') say({ ...n }, `handed back ${n.id.slice(0, 8)} ${n.agent}`);
      else ctx.stderr.write(`warning: ${n.message}\n`);
    },
  });
  const settings = loaded.config.settings;
  say(
    { type: 'serving', host, worker: worker.id, pid: process.pid, agents, queue: endpoint.redacted, max_concurrency: settings.max_concurrency },
    `worker ${host} (pid ${process.pid}) serving ${agents.join(', ')} on ${endpoint.redacted}, at most ${settings.max_concurrency} at once`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      const grace = (store.get().config.settings.pool_grace_seconds ?? 30) * 1000;
      say({ type: 'stopping', signal, grace_ms: grace }, `stopping (${signal}): running jobs get ${grace / 1000} s to finish`);
      void worker.stop(grace).then(() => {
        say({ type: 'stopped' }, 'stopped');
        resolve();
      });
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
