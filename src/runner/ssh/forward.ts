// A remote forward for one run over the agent's SSH master connection (approvals "ask" on an SSH host): a port on
// the host's loopback that leads back to a local Unix socket (the run's approval endpoint). Measured on OpenSSH
// 9.2: `ssh -S <path> -O forward -R 0:<socket> <dest>` prints the port sshd picked on stdout and binds it to
// 127.0.0.1 and ::1 only (unless the host sets GatewayPorts); `-O cancel -R 0:<socket>` ends exactly that forward
// (the socket path tells it apart from other runs'), while naming the allocated port does not; a failed cancel
// still exits 0, with "port not forwarded" on stderr. A forward lives in the master: if we crash before the
// cancel, it ends with the master, which ControlPersist ends once no run uses it.
import { normalizeSshOption, parseSshHost } from '../../shared/ssh.js';
import { runCommand } from '../spawn.js';
import type { RunFailure } from '../adapter.js';
import { buildSshArgs, checkEndpoint, controlPath, SSH_DEFAULTS, type SshEndpoint, type SshSettings } from './args.js';

/** An open forward: the port on the host's loopback, and how to end it. */
export interface RemoteForward {
  port: number;
  cancel(): Promise<void>;
}

/** What opening a forward needs. */
export interface ForwardSpec {
  endpoint: SshEndpoint;
  /** The local Unix socket the remote port leads to. */
  socketPath: string;
  settings: SshSettings;
  binary?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Names the agent in failures. */
  agent: string;
}

// `ssh [options] -o ControlPath=… -O forward|cancel -R 0:<socket> [-p port] -- dest` (the same options as the
// runs, so `%C` names the same master). Throws when connection reuse is off: a forward needs a master.
export function forwardArgs(endpoint: SshEndpoint, settings: SshSettings, op: 'forward' | 'cancel', socketPath: string): string[] {
  if (settings.controlDir === undefined) throw new Error('a remote forward needs connection reuse (a control directory)');
  const target = parseSshHost(endpoint.host);
  const args: string[] = [];
  for (const option of endpoint.sshOptions ?? []) args.push('-o', normalizeSshOption(option));
  args.push('-o', 'BatchMode=yes', '-o', `ControlPath=${controlPath(settings.controlDir, endpoint)}`, '-O', op, '-R', `0:${socketPath}`);
  if (target.port !== undefined) args.push('-p', String(target.port));
  args.push('--', target.destination);
  return args;
}

// The port `-O forward` printed, or undefined (pure).
export function parseForwardPort(stdout: string): number | undefined {
  const match = /^\s*(\d{1,5})\s*$/.exec(stdout);
  const port = match ? Number(match[1]) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** How `-O forward` failed: no master to ask, the host refusing forwards, or anything else. */
export type ForwardFailureKind = 'no-master' | 'refused' | 'other';

// Read ssh's stderr of a failed `-O forward` (pure).
export function forwardFailureKind(stderr: string): ForwardFailureKind {
  if (/remote port forwarding failed|forwarding request failed|administratively prohibited/i.test(stderr)) return 'refused';
  if (/Control socket connect|No ControlPath specified|control socket/i.test(stderr)) return 'no-master';
  return 'other';
}

// The failure a run gets when its forward cannot be opened, with what the user can do (pure).
export function forwardFailure(kind: ForwardFailureKind | 'no-reuse', where: { agent: string; host: string }, detail = ''): RunFailure {
  const why = detail.trim().split('\n').filter(Boolean).at(-1);
  const lead = `Agent ${where.agent}: approvals "ask" on SSH host ${where.host}`;
  if (kind === 'no-reuse') {
    return { type: 'cli_error', message: `${lead} needs SSH connection reuse (a ControlMaster socket in a private directory), and this process has none.`, hint: 'agent-dispatch keeps its SSH control sockets in $XDG_RUNTIME_DIR/agent-dispatch-ssh, else /tmp/agent-dispatch-ssh-<uid>: that directory must be yours with mode 0700 (and its path short). Fix it, or dispatch with approvals "deny".' };
  }
  if (kind === 'refused') {
    return { type: 'unreachable', message: `${lead} needs a remote port forward, which sshd there refused${why ? ` (${why})` : ''}.`, hint: `Allow it in the host's sshd_config (AllowTcpForwarding yes, or remote; DisableForwarding no, and no permitlisten restriction on the key), or dispatch with approvals "deny".` };
  }
  return { type: 'unreachable', message: `${lead}: could not open the forward for its permission requests${why ? ` (${why})` : ''}.`, hint: `Check that \`ssh ${where.host} true\` works, then retry; or dispatch with approvals "deny".` };
}

/** Thrown by openRemoteForward: the run's failure. */
export class ForwardError extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

// Open the forward over the agent's master, starting the master first when there is none. Throws ForwardError.
export async function openRemoteForward(spec: ForwardSpec): Promise<RemoteForward> {
  const where = { agent: spec.agent, host: spec.endpoint.host };
  if (spec.settings.controlDir === undefined) throw new ForwardError(forwardFailure('no-reuse', where));
  checkEndpoint(spec.endpoint);
  const binary = spec.binary ?? 'ssh';
  const timeoutMs = ((spec.settings.connectTimeout ?? SSH_DEFAULTS.connectTimeout) + 10) * 1000;
  const options = { env: spec.env, cwd: '/', timeoutMs, ...(spec.signal ? { signal: spec.signal } : {}) };
  const forward = () => runCommand(binary, forwardArgs(spec.endpoint, spec.settings, 'forward', spec.socketPath), options);
  let res = await forward();
  if (res.exitCode !== 0 && forwardFailureKind(res.stderr) === 'no-master') {
    // ControlMaster=auto: this short command leaves the master running in the background (ControlPersist).
    const start = await runCommand(binary, buildSshArgs(spec.endpoint, 'true', spec.settings), options);
    if (start.exitCode !== 0) throw new ForwardError(forwardFailure('other', where, start.stderr || `ssh exited ${start.exitCode ?? start.signal}`));
    res = await forward();
  }
  const port = res.exitCode === 0 ? parseForwardPort(res.stdout) : undefined;
  if (port === undefined) throw new ForwardError(forwardFailure(res.exitCode === 0 ? 'other' : forwardFailureKind(res.stderr), where, res.stderr || `ssh printed no port (${res.stdout.trim().slice(0, 80)})`));
  let cancelled: Promise<void> | undefined;
  return {
    port,
    cancel: () =>
      (cancelled ??= runCommand(binary, forwardArgs(spec.endpoint, spec.settings, 'cancel', spec.socketPath), { env: spec.env, cwd: '/', timeoutMs }).then(() => undefined)),
  };
}
