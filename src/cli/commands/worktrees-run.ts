// The bodies of `agent-dispatch worktrees` (defined in worktrees.ts): list, merge, discard, keep and diff the git
// worktrees of isolated dispatches.
import { toWorktreeView } from '../../views/worktree-view.js';
import type { CliContext } from '../context.js';
import { withServices } from '../with-services.js';
import { renderTable, tildify } from '../format.js';
import { homeOf } from '../home.js';
import type { Services } from '../services.js';
import { paletteFor } from '../ui/color.js';
import { writeJson } from '../ui/json.js';

// `worktrees [list]`.
export function listWorktrees(ctx: CliContext, services: Services, json: boolean): void {
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

// `worktrees merge ID`.
export const mergeWorktree = (ctx: CliContext, id: string) =>
  withServices(ctx, async (s) => {
    const m = await s.worktrees.merge(id);
    ctx.stdout.write(`Merged ${m.branch} into ${m.into} (${m.fastForward ? 'fast-forward' : 'merge commit'} ${m.commit.slice(0, 12)}); the worktree was removed.\n`);
  });

// `worktrees discard ID`.
export const discardWorktree = (ctx: CliContext, id: string) => withServices(ctx, async (s) => void ctx.stdout.write(`Discarded worktree ${(await s.worktrees.discard(id)).id}.\n`));

// `worktrees keep ID`.
export const keepWorktree = (ctx: CliContext, id: string) => withServices(ctx, async (s) => void ctx.stdout.write(`Worktree ${s.worktrees.keep(id).id} will be kept until merged or discarded.\n`));

// `worktrees diff ID`.
export const diffWorktree = (ctx: CliContext, id: string) =>
  withServices(ctx, async (s) => {
    const diff = await s.worktrees.diff(id, 64 * 1024 * 1024);
    ctx.stdout.write(diff.text);
  });

// `worktrees [list]`, with the services.
export const showWorktrees = (ctx: CliContext, json: boolean) => withServices(ctx, async (s) => listWorktrees(ctx, s, json));

export { withServices };
