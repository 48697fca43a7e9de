// `agent-dispatch worktrees`: the git worktrees of isolated dispatches (issue 19), the same operations as the
// dispatch_worktrees tool: list, merge ID (into its base branch), discard ID, keep ID (never expires), diff ID.
import type { Command } from 'commander';
import { createLogger } from '../../shared/log.js';
import { toWorktreeView } from '../../views/worktree-view.js';
import type { CliContext } from '../context.js';
import { renderTable, tildify } from '../format.js';
import { homeOf } from '../home.js';
import type { Services } from '../services.js';
import { paletteFor } from '../ui/color.js';
import { writeJson } from '../ui/json.js';

async function withServices(ctx: CliContext, body: (services: Services) => Promise<void>): Promise<void> {
  // Loaded when the command runs, not at start: the services pull in every layer (config schema, SQLite, runner).
  const { createServices } = await import('../services.js');
  const services = createServices(ctx, { logger: createLogger({ level: 'warn', write: (line) => void ctx.stderr.write(line) }) });
  try {
    await body(services);
  } finally {
    services.close();
  }
}

function list(ctx: CliContext, services: Services, json: boolean): void {
  const entries = services.worktrees.list();
  if (json) return writeJson(ctx.stdout, entries.map(toWorktreeView));
  if (entries.length === 0) {
    ctx.stdout.write('No worktrees. Dispatch with isolation "worktree" (or set isolation: worktree on an agent) to make one.\n');
    return;
  }
  const c = paletteFor(ctx.stdout, ctx.env);
  const rows = entries.map((e) => [e.id, e.agent, e.missing ? { text: 'missing', style: 'red' as const } : e.state, e.base, new Date(e.createdAt).toISOString().slice(0, 16).replace('T', ' '), tildify(e.path, homeOf(ctx))]);
  ctx.stdout.write(renderTable(['ID', 'AGENT', 'STATE', 'BASE', 'CREATED', 'PATH'], rows, { color: c.enabled, ...(ctx.stdout.isTTY ? { maxWidth: ctx.stdout.columns ?? 100 } : {}) }));
  ctx.stdout.write(c.dim('Merge: agent-dispatch worktrees merge ID · discard: agent-dispatch worktrees discard ID\n'));
}

// Register `worktrees`.
export function registerWorktrees(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('worktrees')
    .description('List, merge, keep or discard the git worktrees of isolated dispatches')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  agent-dispatch worktrees\n  agent-dispatch worktrees merge 1a2b3c4d\n  agent-dispatch worktrees discard 1a2b3c4d')
    .action(async (options: { json?: boolean }) => withServices(ctx, async (s) => list(ctx, s, options.json === true)));
  // `worktrees list --json`: commander hands --json to the parent command, so read it from both.
  cmd
    .command('list')
    .description('List the worktrees (the default)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => withServices(ctx, async (s) => list(ctx, s, options.json === true || cmd.opts().json === true)));
  cmd
    .command('merge <id>')
    .description('Merge a worktree into its base branch (fast-forward or a merge commit); refuses conflicts and changes nothing then')
    .action(async (id: string) =>
      withServices(ctx, async (s) => {
        const m = await s.worktrees.merge(id);
        ctx.stdout.write(`Merged ${m.branch} into ${m.into} (${m.fastForward ? 'fast-forward' : 'merge commit'} ${m.commit.slice(0, 12)}); the worktree was removed.\n`);
      }),
    );
  cmd
    .command('discard <id>')
    .description('Remove a worktree and delete its branch (its changes are lost)')
    .action(async (id: string) => withServices(ctx, async (s) => void ctx.stdout.write(`Discarded worktree ${(await s.worktrees.discard(id)).id}.\n`)));
  cmd
    .command('keep <id>')
    .description('Keep a worktree past settings.worktree_retention_days')
    .action(async (id: string) => withServices(ctx, async (s) => void ctx.stdout.write(`Worktree ${s.worktrees.keep(id).id} will be kept until merged or discarded.\n`)));
  cmd
    .command('diff <id>')
    .description('Print the worktree\'s changes against its base (git diff, untracked files included)')
    .action(async (id: string) =>
      withServices(ctx, async (s) => {
        const diff = await s.worktrees.diff(id, 64 * 1024 * 1024);
        ctx.stdout.write(diff.text);
      }),
    );
}
