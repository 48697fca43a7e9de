// The thin I/O shell every git call goes through: argv only, no shell, repository hooks off, no prompts,
// and no opportunistic index writes, so measuring never takes a lock the user's own git might need.
import { runCommand, type CommandResult } from '../spawn.js';
import { DispatchError } from '../../shared/errors.js';

/** Runs git with args in a directory. */
export type GitRunner = (cwd: string, args: string[], options?: { input?: string; env?: Record<string, string>; maxBytes?: number }) => Promise<CommandResult>;

// Hooks (post-checkout on `worktree add`, pre-merge-commit, commit-msg…) are the user's to run, not ours:
// every command we issue points core.hooksPath at /dev/null, where no hook can exist.
const BASE_ARGS = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.quotePath=false', '-c', 'advice.detachedHead=false'];

// Build a GitRunner over runCommand with the given environment (default: this process's).
export function createGit(env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): GitRunner {
  const base = { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  return (cwd, args, options = {}) =>
    runCommand('git', [...BASE_ARGS, ...args], {
      cwd,
      env: { ...base, ...options.env },
      timeoutMs,
      maxBytes: options.maxBytes ?? 64 * 1024 * 1024,
      ...(options.input === undefined ? {} : { input: options.input }),
    });
}

// Run git and return stdout; throw DispatchError with git's own message on failure.
export async function gitOk(git: GitRunner, cwd: string, args: string[], what: string, options?: Parameters<GitRunner>[2]): Promise<string> {
  const res = await git(cwd, args, options);
  if (res.exitCode === 0) return res.stdout;
  const detail = res.error ?? (res.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${res.exitCode}`);
  throw new DispatchError('GIT_FAILED', `Could not ${what}: ${detail}`, { hint: gitHint(res.stderr) });
}

// A next step for the git failures a user can fix.
export function gitHint(stderr: string): string {
  if (/index\.lock/.test(stderr)) return 'Another git process holds the index lock: wait for it to finish, or remove .git/index.lock if no git process is running.';
  if (/not a git repository/i.test(stderr)) return 'Worktree isolation needs the agent directory to be inside a git repository.';
  return 'Run the same git command in the repository to see the details.';
}
