// The runs this process owns, and the shutdown kill pass over them.
import { killTree, snapshotTree } from '../runner/process/index.js';
import type { Logger } from '../shared/log.js';

/** One run in this process: its cancellation and, once spawned, the agent's process group. */
export interface LiveRun {
  controller: AbortController;
  pgid?: number;
}

/** Runs by job id. */
export type LiveRuns = Map<string, LiveRun>;

// Abort every run this process owns and kill their process groups (server shutdown).
export async function abortAll(runs: LiveRuns, reason: string, logger: Logger): Promise<void> {
  if (runs.size === 0) return;
  logger.info(`stopping ${runs.size} running dispatch(es): ${reason}`);
  const entries = [...runs.values()];
  // Note each agent's whole tree before it starts to shut down: tools in groups of their own would be orphaned.
  const trees = entries.map((entry) => (entry.pgid ? snapshotTree(entry.pgid) : undefined));
  for (const entry of entries) entry.controller.abort(new Error(reason));
  // The session ends with SIGKILL about 600 ms after SIGINT: do not rely on the runner's grace period.
  // Not unref'd: stdin EOF may leave nothing else keeping the process alive until the kill pass has run.
  await new Promise((resolve) => setTimeout(resolve, 250));
  for (const tree of trees) if (tree) killTree(tree);
}
