// The local ssh command line for an agent on a remote host. Pure and table-tested.
import { normalizeSshOption, parseSshHost, sshHostProblem, sshOptionProblem } from '../../shared/ssh.js';
import { DispatchError } from '../../shared/errors.js';

/** Connection settings every remote run and probe uses. */
export interface SshSettings {
  /** Private (0700) directory for the ControlMaster sockets; undefined: no connection reuse. */
  controlDir?: string;
  /** Seconds an idle master connection stays up (ControlPersist). */
  persistSeconds?: number;
  /** Seconds between keepalives and how many may go unanswered before ssh gives up. */
  aliveInterval?: number;
  aliveCountMax?: number;
  /** Seconds to wait for the TCP connection and the server's banner. */
  connectTimeout?: number;
}

/** Defaults: a dead link is noticed after 5 s × 3 unanswered keepalives; an idle master lives 60 s. */
export const SSH_DEFAULTS = { persistSeconds: 60, aliveInterval: 5, aliveCountMax: 3, connectTimeout: 10 } as const;

/** An agent's host and its extra options, as in ResolvedAgent. */
export interface SshEndpoint {
  host: string;
  sshOptions?: readonly string[];
}

// Checks host and options again (the runner never trusts that config validation ran); throws INVALID_INPUT.
export function checkEndpoint(endpoint: SshEndpoint): void {
  const problem = sshHostProblem(endpoint.host);
  if (problem !== undefined) throw new DispatchError('INVALID_INPUT', `Invalid host "${endpoint.host.slice(0, 80)}": ${problem}.`, { hint: 'Use an ssh_config alias or [user@]host[:port].' });
  for (const option of endpoint.sshOptions ?? []) {
    const bad = sshOptionProblem(option);
    if (bad !== undefined) throw new DispatchError('INVALID_INPUT', `Invalid ssh option "${option.slice(0, 80)}": ${bad}.`, { hint: 'Fix ssh_options in agents.yaml, or move the option to ~/.ssh/config.' });
  }
}

// A short, stable tag of the options, so agents on one host with different options never share a master.
function optionsTag(options: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const c of options.join('\n')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0').slice(0, 7);
}

// The control socket path for an endpoint (`%C` is ssh's hash of host, port and user: 40 characters).
export function controlPath(dir: string, endpoint: SshEndpoint): string {
  return `${dir}/${optionsTag(endpoint.sshOptions ?? [])}-%C`;
}

// `ssh [options] -- destination command`. The user's options come first because ssh keeps the first value it
// sees, so they may change keepalives and timeouts; BatchMode and the control socket are always ours.
export function buildSshArgs(endpoint: SshEndpoint, command: string, settings: SshSettings = {}): string[] {
  const target = parseSshHost(endpoint.host);
  const s = { ...SSH_DEFAULTS, ...settings };
  const args = ['-T', '-x', '-a'];
  for (const option of endpoint.sshOptions ?? []) args.push('-o', normalizeSshOption(option));
  args.push('-o', 'BatchMode=yes');
  if (settings.controlDir === undefined) args.push('-o', 'ControlMaster=no', '-o', 'ControlPath=none');
  else args.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath(settings.controlDir, endpoint)}`, '-o', `ControlPersist=${s.persistSeconds}`);
  args.push('-o', `ServerAliveInterval=${s.aliveInterval}`, '-o', `ServerAliveCountMax=${s.aliveCountMax}`, '-o', `ConnectTimeout=${s.connectTimeout}`);
  if (target.port !== undefined) args.push('-p', String(target.port));
  args.push('--', target.destination, command);
  return args;
}
