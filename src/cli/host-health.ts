// One health check for local and SSH agents (issue 17), shared by `list`, the dashboard and list_agents:
// local directories are stat'ed, remote ones are checked on their host in one batched, briefly cached ssh call.
import { checkAgentHealth, type HealthCheck } from '../config/index.js';
import { createSshClient, type SshClient } from '../runner/ssh/connection.js';
import { createRemoteHealth } from '../runner/ssh/health.js';

// The checker; the ssh client (and its socket directory) is made on the first remote agent only.
export function createHealthCheck(env: NodeJS.ProcessEnv, client?: () => SshClient): HealthCheck {
  let remote: ReturnType<typeof createRemoteHealth> | undefined;
  return (agent) => {
    if (agent.host === undefined) return checkAgentHealth(agent.directory);
    remote ??= createRemoteHealth(client?.() ?? createSshClient({ env }));
    return remote.check({ host: agent.host, ...(agent.sshOptions ? { sshOptions: agent.sshOptions } : {}) }, agent.directory);
  };
}
