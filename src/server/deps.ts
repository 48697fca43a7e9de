// What the server factory needs, passed in so tests can hand it in-memory services.
import type { Dispatcher } from '../jobs/dispatcher.js';
import type { WorktreeManager } from '../runner/index.js';
import type { Logger } from '../shared/log.js';
import type { AgentCatalog } from './catalog-types.js';

/** The server's dependencies. */
export interface ServerDeps {
  dispatcher: Dispatcher;
  catalog: AgentCatalog;
  logger: Logger;
  /** The worktrees of isolated dispatches (dispatch_worktrees); unset: that tool says it is unavailable. */
  worktrees?: WorktreeManager;
}

/** Services that load after the handshake's answer (stdio) or at the first tool call, so `serve` answers the
 *  handshake without config, YAML, SQLite or the runner. `load` is called per tool call and must return the same promise each time; a
 *  rejection becomes every call's isError answer (the server stays up). */
export interface LazyServerDeps {
  logger: Logger;
  load(): Promise<ServerDeps>;
  /** The services if they have loaded already (shutdown stops their agents; it never loads them). */
  loaded?(): ServerDeps | undefined;
}

/** Either kind. */
export type DepsSource = ServerDeps | LazyServerDeps;

// The loader of either kind.
export function loaderOf(source: DepsSource): () => Promise<ServerDeps> {
  if ('load' in source) return () => source.load();
  const ready = Promise.resolve(source);
  return () => ready;
}
