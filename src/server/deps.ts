// What createServer needs, passed in so tests can hand it in-memory services.
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { WorktreeManager } from '../runner/index.js';
import type { Logger } from '../shared/log.js';
import type { AgentCatalog } from './catalog-types.js';
import type { AskCallerFor } from './ask-caller.js';

/** The server's dependencies. */
export interface ServerDeps {
  dispatcher: Dispatcher;
  catalog: AgentCatalog;
  logger: Logger;
  /** The worktrees of isolated dispatches (dispatch_worktrees); unset: that tool says it is unavailable. */
  worktrees?: WorktreeManager;
  /** Approvals (issue 18): the AskCaller of a tool call whose client can answer an elicitation. createServer sets it. */
  askCallerFor?: AskCallerFor;
  /** Awaited before every tool call: lets `serve` answer the handshake before loading config, SQLite and runner. */
  ready?: () => Promise<void>;
}
