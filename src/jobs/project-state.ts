// The git state of an agent's project (HEAD and whether the tree is dirty), for the cache key:
// a changed project is never answered from results computed on an older tree.
import { runCommand } from '../runner/index.js';

// "<oid>" or "<oid>+dirty:<status lines>" from `git status --porcelain=v2 --branch` output (local or remote).
export function parseGitStatus(stdout: string): string {
  const lines = stdout.split('\n').filter(Boolean);
  const oid = lines.find((l) => l.startsWith('# branch.oid '))?.slice('# branch.oid '.length) ?? 'unborn';
  const changes = lines.filter((l) => !l.startsWith('#'));
  return changes.length === 0 ? oid : `${oid}+dirty:${changes.join('\n')}`;
}

// "<oid>" or "<oid>+dirty:<the changed paths, as git status lists them>", or undefined when the directory is not a git work tree.
export async function gitProjectState(directory: string): Promise<string | undefined> {
  try {
    const res = await runCommand('git', ['-C', directory, 'status', '--porcelain=v2', '--branch', '--untracked-files=normal'], {
      timeoutMs: 5_000,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
    });
    return res.exitCode === 0 ? parseGitStatus(res.stdout) : undefined;
  } catch {
    return undefined;
  }
}
