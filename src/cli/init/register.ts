// Make Claude Code's registration of agent-dispatch match this installation, changing nothing when it already
// does, and read it back with `claude mcp get` to verify.
import { DispatchError } from '../../shared/errors.js';
import type { ClaudeMcp, Lookup } from './claude-mcp.js';
import { describeEntry, matchesSpec, type McpScope, type ServerSpec } from './mcp-entry.js';

/** What ensureRegistered did and what Claude Code reports afterwards. */
export interface RegisterOutcome {
  action: 'unchanged' | 'added' | 'replaced';
  /** How the replaced registration started the server, when known. */
  previous?: string;
  /** `claude mcp get` after the change (before, when nothing changed). */
  after: Lookup;
}

// Register `spec` at `scope`. A registration at that scope that starts something else is removed first.
export async function ensureRegistered(mcp: ClaudeMcp, spec: ServerSpec, scope: McpScope): Promise<RegisterOutcome> {
  const before = await mcp.get();
  if (before.kind === 'error') {
    throw new DispatchError('SPAWN_FAILED', `\`claude mcp get\` failed: ${before.message}`, {
      hint: 'Run `claude mcp list` to see what Claude Code says; `agent-dispatch init --print` shows the JSON to add by hand.',
    });
  }
  if (before.kind === 'found' && before.entry.scope === scope) {
    if (matchesSpec(before.entry, spec)) return { action: 'unchanged', after: before };
    await mcp.remove(scope);
    await mcp.add(spec, scope);
    return { action: 'replaced', previous: describeEntry(before.entry), after: await mcp.get() };
  }
  // Nothing at this scope as far as `get` shows; it shows one scope only, so an add can still collide.
  try {
    await mcp.add(spec, scope);
    return { action: 'added', after: await mcp.get() };
  } catch (error) {
    if (!(error instanceof DispatchError) || !/already exists/i.test(error.message)) throw error;
    await mcp.remove(scope);
    await mcp.add(spec, scope);
    return { action: 'replaced', after: await mcp.get() };
  }
}
