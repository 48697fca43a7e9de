// Programmatic API: explicit named exports.
export { DispatchError, isDispatchError, type DispatchErrorCode } from './shared/errors.js';
export type * from './shared/types.js';
export { VERSION } from './shared/version.js';
export {
  createJobStore,
  currentProcess,
  isProcessAlive,
  MIGRATIONS,
  parseJobId,
  processRef,
  type IsAlive,
  type Migration,
  type ProcessRef,
} from './jobs/store/index.js';
export type * from './jobs/store/types.js';
export { createRunner, DEFAULT_MAX_DEPTH } from './runner/index.js';
export type { Runner, RunnerOptions } from './runner/types.js';
export type {
  AdapterOutcome,
  Invocation,
  InvocationContext,
  OutputParser,
  ParserContext,
  ProcessExit,
  RunFailure,
  RuntimeAdapter,
  StopReason,
} from './runner/adapter.js';
export { claudeAdapter } from './runner/claude/index.js';
export { buildPrompt, type PromptParts } from './runner/prompt.js';
export { buildChildEnv, CHAIN_VAR, DEPTH_VAR, readChain, readDepth } from './runner/env.js';
export { runCommand, spawnDetached, type CommandResult } from './runner/spawn.js';
export { createApp, type WebApp } from './web/app.js';
export { budgetsFromConfig, type AgentInfo, type Budgets, type WebDeps } from './web/deps.js';
export { DEFAULT_WEB_PORT, startWeb, type StartWebOptions, type WebHandle } from './web/serve.js';
export { createHttpApp, DEFAULT_HTTP_PORT, mcpUrl, serveHttp, type HttpServerHandle, type ServeHttpOptions } from './server/http.js';
export { generateToken, loadOrCreateToken, resolveTokenPath, type LoadedToken } from './config/token.js';
export { createDispatchService, type DispatchService, type DispatchServiceDeps } from './jobs/service.js';
