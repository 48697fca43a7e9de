// The git state of a remote agent's project (issue 17), for the cache key: the same "<oid>[+dirty:...]"
// string project-state.ts makes for a local directory, read on the agent's host over the shared connection.
import type { SshClient } from '../runner/index.js';
import type { ResolvedAgent } from '../shared/types.js';
import type { ProjectState } from './cache-gate.js';
import { parseGitStatus } from './project-state.js';

// args: directory. `~` is the remote home; optional locks off, as for the local read (never block a user's git).
const GIT_STATE_SCRIPT = [
  'd=$1; case $d in "~") d=$HOME ;; "~/"*) d=$HOME/${d#"~/"} ;; esac',
  'GIT_OPTIONAL_LOCKS=0 exec git -C "$d" status --porcelain=v2 --branch --untracked-files=normal',
].join('\n');

// The remote project's state, or undefined when it is not a git work tree or the host does not answer
// (then the cache key simply carries no project state, as for a local directory outside git).
export async function remoteGitProjectState(client: SshClient, agent: Pick<ResolvedAgent, 'host' | 'sshOptions' | 'directory'>): Promise<ProjectState | undefined> {
  if (agent.host === undefined) return undefined;
  const res = await client.exec({ host: agent.host, ...(agent.sshOptions ? { sshOptions: agent.sshOptions } : {}) }, GIT_STATE_SCRIPT, [agent.directory], { timeoutMs: 10_000 });
  return res.exitCode === 0 ? { key: parseGitStatus(res.stdout) } : undefined;
}
