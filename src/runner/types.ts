// The runner's public contract. jobs/ and server/ see the runner only through this file, index.ts and
// process/index.ts (test/boundaries.test.ts holds them to it); the CLI's composition root, doctor and demo, the
// web launcher and the package index also use spawn.ts and the adapters directly.
import type { Logger } from '../shared/log.js';
import type { RunOptions, RunRequest, RunResult, RuntimeName } from '../shared/types.js';
import type { RuntimeAdapter } from './adapter.js';
import type { SshSettings } from './ssh/args.js';
import type { GitRunner } from './git/git.js';

/** Runs one agent task in its directory and returns one result shape, success or failure; never throws for agent failures. */
export interface Runner {
  run(request: RunRequest, options?: RunOptions): Promise<RunResult>;
}

/** Settings the runner is created with (composition root passes them from config and the environment). */
export interface RunnerOptions {
  /** Environment the child starts from (the user's environment). */
  env?: NodeJS.ProcessEnv;
  /** Per-runtime executable override, e.g. { claude: '/path/to/claude' } (tests point it at fixtures). */
  binaries?: Partial<Record<RuntimeName, string>>;
  /** Refuse to spawn at or past this depth (settings.max_dispatch_depth). */
  maxDepth?: number;
  /** Inline answer size (default 4 MiB): the result events sent to onEvent are cut to it, and one output line may hold 4× it (at least 32 MiB). */
  maxOutputBytes?: number;
  /** Time between SIGTERM and SIGKILL of the process group, in ms (default 3000). */
  killGraceMs?: number;
  /** Called with the child's pid and process group as soon as it is spawned (the job store records them). */
  onSpawn?: (info: { pid: number; pgid: number }) => void;
  /** Adapters by runtime (default: all four, from createRuntimeAdapters() in runtimes.ts). */
  adapters?: Partial<Record<RuntimeName, RuntimeAdapter>>;
  /** How long a CLI may keep running after printing its final result before we end it, in ms (default 10000). */
  lingerMs?: number;
  /** Where the runner reports skipped output lines and callback errors (default: silent). */
  logger?: Logger;
  /** For agents with a `host`: the ssh executable and connection settings (default: "ssh", no connection reuse). */
  ssh?: { sshBinary?: string; settings?: SshSettings };
  /** Where isolated runs' git worktrees and their records live (the composition root passes <state dir>/worktrees). */
  worktreesDir?: string;
  /** Runs git for the change measurements and worktrees (default: the real git). */
  git?: GitRunner;
}
