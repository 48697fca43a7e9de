// Facts about an agent's host for `add --host` and `doctor`: reachable and authenticated without a prompt,
// the directory present, the CLI on the PATH with its version. One ssh round trip over the shared connection.
import { DispatchError } from '../../shared/errors.js';
import type { RunFailure } from '../adapter.js';
import type { SshEndpoint } from './args.js';
import type { SshClient } from './connection.js';
import { classifySshExit } from './outcome.js';

/** What one probe found. `failure` is set when the host could not be asked at all. */
export interface HostProbe {
  reachable: boolean;
  failure?: RunFailure;
  directoryExists: boolean;
  /** Where the CLI is on the remote PATH; undefined when it is missing. */
  cliPath?: string;
  cliVersion?: string;
  durationMs: number;
}

// args: directory, binary, PATH override ('' keeps the login PATH). Prints dir=, cli=, version= lines.
const PROBE_SCRIPT = [
  'd=$1; b=$2; [ -n "$3" ] && PATH=$3 && export PATH',
  'case $d in "~") d=$HOME ;; "~/"*) d=$HOME/${d#"~/"} ;; esac',
  'if [ -d "$d" ]; then echo dir=1; else echo dir=0; fi',
  'p=$(command -v "$b" 2>/dev/null); echo "cli=$p"',
  'if [ -n "$p" ]; then v=$("$b" --version </dev/null 2>/dev/null | head -n 1); echo "version=$v"; fi',
].join('\n');

// Probes the endpoint; never throws.
export async function probeHost(client: SshClient, endpoint: SshEndpoint, directory: string, binary: string, path?: string): Promise<HostProbe> {
  const started = Date.now();
  const res = await client.exec(endpoint, PROBE_SCRIPT, [directory, binary, path ?? '']);
  const durationMs = Date.now() - started;
  if (res.exitCode !== 0) {
    const failure = classifySshExit(255, res.stderr, { agent: '-', host: endpoint.host, directory, binary }) ?? {
      type: 'unreachable' as const,
      message: `ssh to ${endpoint.host} failed${res.timedOut ? ' (timed out)' : ''}: ${res.stderr.trim().split('\n').pop() ?? `exit ${res.exitCode}`}`,
    };
    return { reachable: false, failure: { ...failure, message: failure.message.replace(/^Agent -: /, '') }, directoryExists: false, durationMs };
  }
  const field = (name: string) => res.stdout.split('\n').find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1).trim();
  const cliPath = field('cli') || undefined;
  const cliVersion = field('version') || undefined;
  return { reachable: true, directoryExists: field('dir') === '1', ...(cliPath ? { cliPath } : {}), ...(cliVersion ? { cliVersion } : {}), durationMs };
}

// For `add --host` and add_agent: the host answers and the directory exists there; DispatchError otherwise.
export async function assertRemoteDirectory(client: SshClient, endpoint: SshEndpoint, directory: string): Promise<void> {
  const probe = await probeHost(client, endpoint, directory, 'true');
  if (!probe.reachable) {
    throw new DispatchError('INVALID_INPUT', `Cannot check the directory on ${endpoint.host}: ${probe.failure?.message ?? 'ssh failed'}`, { hint: probe.failure?.hint ?? `Check that \`ssh ${endpoint.host} true\` works without a prompt.` });
  }
  if (!probe.directoryExists) {
    throw new DispatchError('DIRECTORY_NOT_FOUND', `Directory ${directory} does not exist on ${endpoint.host}.`, { hint: 'Create it there first, or pass the path as the remote host sees it (absolute or ~/...).' });
  }
}
