// `agent-dispatch worktrees`: the git worktrees of isolated dispatches (issue 19), the same operations as the
// dispatch_worktrees tool: list, merge ID (into its base branch), discard ID, keep ID, diff ID (worktrees-run.ts).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Register `worktrees`.
export function registerWorktrees(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('worktrees')
    .description('List, merge, keep or discard the git worktrees of isolated dispatches')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  agent-dispatch worktrees\n  agent-dispatch worktrees merge 1a2b3c4d\n  agent-dispatch worktrees discard 1a2b3c4d')
    .action(async (options: { json?: boolean }) => (await import('./worktrees-run.js')).showWorktrees(ctx, options.json === true));
  // `worktrees list --json`: commander hands --json to the parent command, so read it from both.
  cmd
    .command('list')
    .description('List the worktrees (the default)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => (await import('./worktrees-run.js')).showWorktrees(ctx, options.json === true || cmd.opts().json === true));
  cmd
    .command('merge <id>')
    .description('Merge a worktree into its base branch (fast-forward or a merge commit); refuses conflicts and changes nothing then')
    .action(async (id: string) => (await import('./worktrees-run.js')).mergeWorktree(ctx, id));
  cmd
    .command('discard <id>')
    .description('Remove a worktree and delete its branch (its changes are lost)')
    .action(async (id: string) => (await import('./worktrees-run.js')).discardWorktree(ctx, id));
  cmd
    .command('keep <id>')
    .description('Keep a worktree past settings.worktree_retention_days')
    .action(async (id: string) => (await import('./worktrees-run.js')).keepWorktree(ctx, id));
  cmd
    .command('diff <id>')
    .description('Print the worktree\'s changes against its base (git diff, untracked files included)')
    .action(async (id: string) => (await import('./worktrees-run.js')).diffWorktree(ctx, id));
}
