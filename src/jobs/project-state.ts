// The git state of an agent's project (HEAD and whether the tree is dirty), for the cache key:
// a changed project is never answered from results computed on an older tree.
import { projectStateOf, readWorkTreeStatus } from '../runner/index.js';
import type { ProjectState } from './cache-gate.js';

// "<oid>" or "<oid>+dirty:<status lines>" from `git status --porcelain=v2 --branch` output (a remote host's read).
export function parseGitStatus(stdout: string): string {
  const lines = stdout.split('\n').filter(Boolean);
  const oid = lines.find((l) => l.startsWith('# branch.oid '))?.slice('# branch.oid '.length) ?? 'unborn';
  const changes = lines.filter((l) => !l.startsWith('#'));
  return changes.length === 0 ? oid : `${oid}+dirty:${changes.join('\n')}`;
}

// The key "<oid>" or "<oid>+dirty:<the changed paths, as git status lists them>" with the status read it came from
// (the run's snapshot reuses it, so a cached-on run costs one `git status`); undefined outside a git work tree.
export async function gitProjectState(directory: string): Promise<ProjectState | undefined> {
  try {
    const status = await readWorkTreeStatus(directory);
    return status ? { key: projectStateOf(status.output), status } : undefined;
  } catch {
    return undefined;
  }
}
