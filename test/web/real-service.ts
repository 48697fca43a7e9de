// The real services on the real Claude Code CLI and the stand-in model: a job store in a temp directory, the
// dispatch service with the runner, and MCP server deps. For the HTTP-mode and browser tests.
import { join } from 'node:path';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createDispatchService, type DispatchService } from '../../src/jobs/service.js';
import { createJobStore } from '../../src/jobs/store/index.js';
import type { JobStore } from '../../src/jobs/store/types.js';
import { createRunner } from '../../src/runner/index.js';
import { silentLogger } from '../../src/shared/log.js';
import type { ServerDeps } from '../../src/server/deps.js';
import type { FakeModelOptions } from '../support/fake-anthropic.js';
import { CLAUDE_BIN, createBackbone, type Backbone } from '../support/harness.js';
import { fakeCatalog } from '../server/fakes.js';

/** Everything a test needs to dispatch for real. */
export interface RealServices {
  bb: Backbone;
  store: JobStore;
  service: DispatchService;
  config: Config;
  deps: ServerDeps;
  /** The project directory of agent `alpha`. */
  alphaDir: string;
  cleanup(): Promise<void>;
}

// Start a stand-in model scripted with `model`, and services with agents alpha and beta.
export async function realServices(model: FakeModelOptions, settings: Record<string, unknown> = {}): Promise<RealServices> {
  const bb = await createBackbone(model);
  const alphaDir = bb.project('alpha', { claudeMd: 'You are alpha.', files: { 'README.md': 'alpha project readme\n' } });
  const betaDir = bb.project('beta');
  const config = configSchema.parse({
    agents: {
      alpha: { directory: alphaDir, description: 'The alpha project', daily_budget_usd: 0.01 },
      beta: { directory: betaDir },
    },
    settings: { max_concurrency: 3, daily_budget_usd: 0.05, ...settings },
  });
  const store = createJobStore({ path: join(bb.sandbox.root, 'state', 'jobs.db'), logger: silentLogger });
  const service = createDispatchService({
    config: () => config,
    runner: (limits) => createRunner({ env: bb.env(), binaries: { claude: CLAUDE_BIN }, killGraceMs: 1000, ...limits }),
    store,
    logger: silentLogger,
  });
  return {
    bb,
    store,
    service,
    config,
    deps: { dispatcher: service, catalog: fakeCatalog(['alpha', 'beta']), logger: silentLogger },
    alphaDir,
    async cleanup() {
      await service.abortAll('test finished');
      store.close();
      await bb.cleanup();
    },
  };
}
