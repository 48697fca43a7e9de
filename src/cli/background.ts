// How this process starts background jobs (dispatch_async): through the local worker (jobs/worker/), or, with
// AGENT_DISPATCH_WORKER=0, inside an agent (nested), or when the socket path would be too long, through one
// detached `__job-runner` process per job as before. The worker is keyed by this process's environment, working
// directory and command, so it runs jobs exactly as a per-job supervisor started from here would.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DispatchServiceDeps } from '../jobs/service.js';
import type { JobStore } from '../jobs/store/types.js';
import { createLauncher, watchEnd, workerAddress, workerKey, type WorkerAddress } from '../jobs/worker/index.js';
import { NESTED_SESSION_VARS, readDepth } from '../runner/env.js';
import { spawnDetached } from '../runner/spawn.js';
import type { Logger } from '../shared/log.js';
import type { CliContext } from './context.js';

/** Default idle time before the worker exits (AGENT_DISPATCH_WORKER_IDLE_SECONDS overrides it). */
export const DEFAULT_WORKER_IDLE_SECONDS = 600;

// The worker this process would use, or undefined when jobs get one process each.
export function workerFor(ctx: Pick<CliContext, 'env' | 'cwd' | 'selfCommand'>, stateDir: string): WorkerAddress | undefined {
  const self = ctx.selfCommand;
  if (!self || ctx.env.AGENT_DISPATCH_WORKER === '0' || readDepth(ctx.env) > 0) return undefined;
  // The variables of the calling Claude Code session never reach an agent (the runner removes them), so they do
  // not split workers: every session of a project with the same setup shares one.
  const env = Object.fromEntries(Object.entries(ctx.env).filter(([name]) => !NESTED_SESSION_VARS.includes(name)));
  return workerAddress(stateDir, workerKey({ env, cwd: ctx.cwd, command: self }));
}

// The service's background-start dependencies for this process.
export function backgroundStart(ctx: CliContext, stateDir: string, store: JobStore, logger: Logger): Pick<DispatchServiceDeps, 'startSupervisor' | 'launch' | 'watchEnd'> {
  const self = ctx.selfCommand;
  if (!self) return {};
  const detached = (args: string[], log: string) => spawnDetached(self[0]!, [...self.slice(1), ...args], { env: ctx.env, cwd: ctx.cwd, logFile: join(stateDir, log) });
  const spawnRunner = (jobId: string) => detached(['__job-runner', jobId], 'job-runner.log');
  const address = workerFor(ctx, stateDir);
  if (!address) return { startSupervisor: spawnRunner };
  const spawnWorker = (jobId: string) => detached(['__worker', '--key', address.key, jobId], 'worker.log');
  return { startSupervisor: spawnRunner, launch: createLauncher({ address, store, logger, spawnWorker, spawnRunner }), watchEnd: watchEnd(address) };
}

// The version of the package installed next to the running script (a worker retires when it changes).
export function installedVersion(ctx: Pick<CliContext, 'selfCommand'>): string | undefined {
  const script = ctx.selfCommand?.at(-1);
  if (!script) return undefined;
  try {
    return (JSON.parse(readFileSync(join(dirname(script), '..', 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

// Idle time of the worker, in ms.
export function workerIdleMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.AGENT_DISPATCH_WORKER_IDLE_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_WORKER_IDLE_SECONDS) * 1000;
}
