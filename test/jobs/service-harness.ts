// Dispatch service test rig: a temp state directory with agents.yaml and a real job store, the service built on
// it with a scripted runner or the real runner on a fixture CLI, and the built `agent-dispatch __job-runner` as
// the detached supervisor when a test wants background jobs in another process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createDispatchService, type DispatchService, type DispatchServiceDeps } from '../../src/jobs/service.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { JobStore } from '../../src/jobs/store/types.js';
import { createRunner } from '../../src/runner/index.js';
import { spawnDetached } from '../../src/runner/spawn.js';
import type { Runner } from '../../src/runner/types.js';
import { silentLogger } from '../../src/shared/log.js';
import type { RunOptions, RunRequest, RunResult } from '../../src/shared/types.js';
import { runResult } from './support/store.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** Fixture CLIs (test/fixtures/bin). */
export const FIXTURE_BIN = join(ROOT, 'test', 'fixtures', 'bin');
/** The built CLI entry. */
export const CLI = join(ROOT, 'bin', 'agent-dispatch.js');

/** A scripted runner: each call runs `script`, and the calls are recorded. */
export interface FakeRunner extends Runner {
  calls: RunRequest[];
}

// A runner whose behaviour the test writes (events, waiting for the signal, the result).
export function fakeRunner(script: (request: RunRequest, options: RunOptions) => Promise<RunResult> | RunResult = (r) => runResult({ agent: r.agent.name })): FakeRunner {
  const calls: RunRequest[] = [];
  return {
    calls,
    async run(request, options = {}) {
      calls.push(request);
      return script(request, options);
    },
  };
}

// A promise with its resolve function outside.
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Options of the rig. */
export interface RigOptions {
  settings?: Record<string, unknown>;
  agents?: Record<string, Record<string, unknown>>;
  /** A fake runner, or a fixture CLI name under test/fixtures/bin run by the real runner. */
  runner?: FakeRunner | string;
  /** Extra environment for fixture CLIs and the supervisor. */
  env?: Record<string, string>;
  /** Start background jobs in real `agent-dispatch __job-runner` processes (needs `npm run build`). */
  supervisor?: boolean;
}

/** A service on a temp store. */
export interface Rig {
  dir: string;
  stateDir: string;
  config: Config;
  store: JobStore;
  service: DispatchService;
  /** Environment that points agent-dispatch processes at this rig. */
  env: NodeJS.ProcessEnv;
  /** Another store on the same database (as another process would see it). */
  openStore(): JobStore;
  /** Another service on the same database and config (a second server). */
  openService(extra?: Partial<DispatchServiceDeps>): DispatchService;
  /** Lines `start|end <pid> <ms>` written by claude-sleep (FIXTURE_LOG). */
  fixtureLog(): string[];
  cleanup(): Promise<void>;
}

// Build the rig: agents `api` and `web` in temp project directories.
export function createRig(options: RigOptions = {}): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'ad-service-'));
  const stateDir = join(dir, 'state');
  const logFile = join(dir, 'fixture.log');
  const projects = { api: join(dir, 'api'), web: join(dir, 'web') };
  for (const p of Object.values(projects)) mkdirSync(p);
  const raw = {
    agents: { api: { directory: projects.api, ...options.agents?.api }, web: { directory: projects.web, ...options.agents?.web } },
    settings: { max_concurrency: 3, ...options.settings },
  };
  const configPath = join(dir, 'agents.yaml');
  writeFileSync(configPath, stringify(raw));
  const config = configSchema.parse(raw);
  const fixture = typeof options.runner === 'string' ? join(FIXTURE_BIN, options.runner) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AGENT_DISPATCH_CONFIG: configPath,
    AGENT_DISPATCH_STATE_DIR: stateDir,
    FIXTURE_LOG: logFile,
    ...(fixture ? { AGENT_DISPATCH_CLAUDE_BIN: fixture } : {}),
    ...options.env,
  };
  const stores: JobStore[] = [];
  const services: DispatchService[] = [];
  const openStore = () => {
    const store = createJobStore({ path: join(stateDir, 'jobs.db'), logger: silentLogger, pollIntervalMs: 10, livenessIntervalMs: 50 });
    stores.push(store);
    return store;
  };
  const runnerFor = () =>
    typeof options.runner === 'object' ? () => options.runner as FakeRunner : (limits: object) => createRunner({ env, ...(fixture ? { binaries: { claude: fixture } } : {}), killGraceMs: 200, ...limits });
  const openService = (extra: Partial<DispatchServiceDeps> = {}) => {
    const service = createDispatchService({
      config: () => config,
      runner: runnerFor(),
      store: extra.store ?? openStore(),
      logger: silentLogger,
      progressIntervalMs: 20,
      ...(options.supervisor ? { startSupervisor: (id: string) => spawnDetached(process.execPath, [CLI, '__job-runner', id], { env, logFile: join(dir, 'runner.log') }) } : {}),
      ...extra,
    });
    services.push(service);
    return service;
  };
  const store = openStore();
  const service = openService({ store });
  return {
    dir,
    stateDir,
    config,
    store,
    service,
    env,
    openStore,
    openService,
    fixtureLog: () => {
      try {
        return readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    async cleanup() {
      for (const s of services) await s.abortAll('test finished');
      for (const s of stores) s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
