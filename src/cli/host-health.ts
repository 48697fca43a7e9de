// One health check for local and SSH agents (issue 17), shared by `list`, the dashboard and list_agents:
// local directories are stat'ed, remote ones are checked on their host in one batched, briefly cached ssh call.
import { checkAgentHealth } from '../config/describe.js';
import type { HealthCheck } from '../config/overview.js';
import type { SshClient } from '../runner/ssh/connection.js';
import type { RemoteHealthChecker } from '../runner/ssh/health.js';

// The checker; the ssh code is loaded, and the client (and its socket directory) made, on the first remote agent
// only. Every check of one tick still shares a batch: they all resume from the same loaded promise.
export function createHealthCheck(env: NodeJS.ProcessEnv, client?: () => SshClient): HealthCheck {
  let remote: Promise<RemoteHealthChecker> | undefined;
  return async (agent) => {
    if (agent.host === undefined) return checkAgentHealth(agent.directory);
    remote ??= Promise.all([import('../runner/ssh/connection.js'), import('../runner/ssh/health.js')]).then(([{ createSshClient }, { createRemoteHealth }]) =>
      createRemoteHealth(client?.() ?? createSshClient({ env })),
    );
    return (await remote).check({ host: agent.host, ...(agent.sshOptions ? { sshOptions: agent.sshOptions } : {}) }, agent.directory);
  };
}
