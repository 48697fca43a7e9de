// Rigs for running the pinned Codex, Gemini CLI and OpenCode through the runner, offline, against their
// stand-in APIs. Each rig writes the CLI's *user* config into a temp HOME (as a user would have it: a custom
// provider or API-key auth pointing at the stand-in, retries off) and builds the user's environment.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { defaultRunRoot } from '../../src/runner/gemini/settings.js';
import { createRunner } from '../../src/runner/index.js';
import { createRuntimeAdapters, type ModelPrice } from '../../src/runner/runtimes.js';
import type { Runner, RunnerOptions } from '../../src/runner/types.js';
import type { ResolvedAgent, RuntimeName } from '../../src/shared/types.js';
import { startDialectModel, type DialectModel, type DialectModelOptions } from '../support/dialects/server.js';
import { allText, fail, text, type Rule, type TurnSpec } from '../support/fake-openai-responses.js';
import { chatDialect } from '../support/dialects/chat.js';
import { geminiDialect } from '../support/dialects/gemini.js';
import { responsesDialect } from '../support/dialects/responses.js';
import { createSandbox, REPO_ROOT, type Sandbox } from '../support/harness.js';

const BIN = join(REPO_ROOT, 'node_modules', '.bin');
/** The pinned CLIs (exact devDependencies). */
// OpenCode is installed by scripts/test-clis.mjs into .test-clis/ (it cannot be in package-lock.json here).
export const RUNTIME_BINS = { codex: join(BIN, 'codex'), gemini: join(BIN, 'gemini'), opencode: join(REPO_ROOT, '.test-clis', 'node_modules', '.bin', 'opencode') } as const;
/** Whether a pinned CLI is installed (tests of a missing one skip, saying why). */
export const hasRuntime = (runtime: keyof typeof RUNTIME_BINS): boolean => existsSync(RUNTIME_BINS[runtime]);
/** Model names the stand-ins are configured with, and their test prices ($3 / $15 per million tokens). */
export const TEST_MODELS = { codex: 'gpt-5.5', gemini: 'gemini-2.5-flash', opencode: 'standin/stand-in-model' } as const;
export const TEST_PRICE: ModelPrice = { input_per_mtok: 3, output_per_mtok: 15 };

// The script every runtime's tests share: a call to the runtime's `shell` tool whose output is quoted back,
// a colour to remember across a resume, and a 401 with the API's own wording.
export function sharedRules(shell: (cmd: string) => TurnSpec, unauthorized = 'Incorrect API key provided'): Rule[] {
  return [
    { match: 'write a file', reply: [shell('pwd && echo hi > created.txt && echo wrote'), (ctx) => text(`Tool said: ${ctx.lastToolResult}`)] },
    { match: 'remember', reply: text('I will remember PURPLE-42.') },
    { match: 'what colour', reply: (ctx) => text(allText(ctx.request).includes('PURPLE-42') ? 'You said PURPLE-42.' : 'No idea.') },
    { match: 'locked out', fail: fail(401, { message: unauthorized }) },
  ];
}

/** A stand-in, a sandbox with the CLI's user config, and a runner wired to both. */
export interface RuntimeRig {
  runtime: Exclude<RuntimeName, 'claude'>;
  model: DialectModel;
  sandbox: Sandbox;
  /** The user's environment the runner starts agents from. */
  env: Record<string, string>;
  runner: Runner;
  /** A resolved agent of this runtime in a fresh project dir with `files`. */
  agent(name: string, patch?: Partial<ResolvedAgent>, files?: Record<string, string>): ResolvedAgent;
  /** A runner with other options (same env and binaries). */
  runnerWith(options: RunnerOptions): Runner;
  cleanup(): Promise<void>;
}

// Writes the CLI's user config for the stand-in at `url`; returns the variables that go with it.
function userConfig(runtime: RuntimeRig['runtime'], home: string, url: string): Record<string, string> {
  if (runtime === 'codex') {
    const codexHome = join(home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(
      join(codexHome, 'config.toml'),
      [
        `model = "${TEST_MODELS.codex}"`,
        'model_provider = "standin"',
        '[features]',
        'plugins = false',
        '[model_providers.standin]',
        'name = "Stand-in"',
        `base_url = "${url}/v1"`,
        'env_key = "STANDIN_API_KEY"',
        'wire_api = "responses"',
        'stream_max_retries = 0',
        'request_max_retries = 0',
        '',
      ].join('\n'),
    );
    return { CODEX_HOME: codexHome, STANDIN_API_KEY: 'sk-test' };
  }
  if (runtime === 'gemini') {
    mkdirSync(join(home, '.gemini'), { recursive: true });
    const settings = { security: { auth: { selectedType: 'gemini-api-key' } }, general: { maxAttempts: 1 } };
    writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify(settings));
    return { GEMINI_CLI_HOME: home, GEMINI_API_KEY: 'sk-test', GOOGLE_GEMINI_BASE_URL: url };
  }
  const dir = join(home, '.config', 'opencode');
  mkdirSync(dir, { recursive: true });
  const [provider, model] = TEST_MODELS.opencode.split('/') as [string, string];
  const config = {
    model: TEST_MODELS.opencode,
    provider: { [provider]: { npm: '@ai-sdk/openai-compatible', name: 'Stand-in', options: { baseURL: `${url}/v1`, apiKey: '{env:STANDIN_API_KEY}' }, models: { [model]: { name: 'Stand-in model' } } } },
  };
  writeFileSync(join(dir, 'opencode.json'), JSON.stringify(config));
  // Plugins and language servers would be fetched from npm on a fresh HOME; the test machine is offline.
  return { STANDIN_API_KEY: 'sk-test', OPENCODE_DISABLE_DEFAULT_PLUGINS: '1', OPENCODE_DISABLE_LSP_DOWNLOAD: '1' };
}

const DIALECTS = { codex: responsesDialect, gemini: geminiDialect, opencode: chatDialect } as const;

// Start a rig for one runtime; call cleanup() in afterAll.
export async function createRig(runtime: RuntimeRig['runtime'], options: DialectModelOptions & { prices?: Record<string, ModelPrice>; geminiRunRoot?: string } = {}): Promise<RuntimeRig> {
  const { prices, geminiRunRoot, ...modelOptions } = options;
  const model = await startDialectModel(DIALECTS[runtime], modelOptions);
  const sandbox = createSandbox(`ad-${runtime}-`);
  const env: Record<string, string> = {
    PATH: [BIN, join(process.execPath, '..'), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: sandbox.home,
    TMPDIR: sandbox.tmp,
    ...userConfig(runtime, sandbox.home, model.url),
  };
  const adapters = createRuntimeAdapters({ prices: { [TEST_MODELS[runtime]]: TEST_PRICE, ...prices }, ...(geminiRunRoot ? { geminiRunRoot } : {}) });
  const runnerWith = (more: RunnerOptions) => createRunner({ env, binaries: RUNTIME_BINS, adapters, killGraceMs: 1000, ...more });
  let n = 0;
  return {
    runtime,
    model,
    sandbox,
    env,
    runner: runnerWith({}),
    runnerWith,
    agent(name, patch = {}, files = {}) {
      const directory = sandbox.project(`${name}-${++n}`, { files });
      return { name, directory, description: '', runtime, timeout: 120, ...patch };
    },
    async cleanup() {
      await sandbox.cleanup();
      await model.close();
    },
  };
}

/** A cache directory Gemini CLI will read settings from, chosen the way the product chooses its run root
 * (settings.ts: root-owned, no group/world-writable ancestor), so the tests pass wherever the clone and HOME are. */
export function secureCacheDir(): string {
  return dirname(defaultRunRoot());
}
