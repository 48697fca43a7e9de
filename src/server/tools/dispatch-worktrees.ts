// `dispatch_worktrees`: the git worktrees of isolated dispatches (issue 19): list them, merge one into its base
// branch, discard one, or keep one past settings.worktree_retention_days. One tool keeps tools/list small.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { DispatchError } from '../../shared/errors.js';
import { toolResult } from '../results.js';

/** Tool name. */
import { toWorktreeView } from '../../views/worktree-view.js';

export const name = 'dispatch_worktrees';

// `dispatch_worktrees` as data.
export const tool = defineTool({
  name,
  description: 'Isolated dispatches\' git worktrees: list, or merge (into base)/discard/keep one (id).',
  inputSchema: z.object({ action: z.enum(['list', 'merge', 'discard', 'keep']).optional(), id: z.string().optional() }),
  outputSchema: z.looseObject({}),
  annotations: { destructiveHint: true },
  handler: async (args, { deps }) => {
    const worktrees = deps.worktrees;
    if (!worktrees) throw new DispatchError('INVALID_INPUT', 'Worktrees are not available in this server.');
    if (!args.action || args.action === 'list') return toolResult({ worktrees: worktrees.list().map(toWorktreeView) });
    if (!args.id) throw new DispatchError('INVALID_INPUT', `action "${args.action}" needs the worktree's id.`, { hint: 'Call dispatch_worktrees with action "list" to see the ids.' });
    if (args.action === 'merge') {
      const m = await worktrees.merge(args.id);
      return toolResult({ merged: m.id, branch: m.branch, into: m.into, commit: m.commit, fast_forward: m.fastForward });
    }
    if (args.action === 'discard') return toolResult({ discarded: (await worktrees.discard(args.id)).id });
    return toolResult({ kept: worktrees.keep(args.id).id });
  },
});
