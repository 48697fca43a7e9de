// The local side of SSH: the private directory for ControlMaster sockets, and short remote commands (probes,
// git state) over the same shared connection the runs use. Only spawn.ts starts processes.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir } from '../../shared/private-dir.js';
import { runCommand, type CommandResult } from '../spawn.js';
import { buildSshArgs, checkEndpoint, type SshEndpoint, type SshSettings } from './args.js';
import { shCommand } from './quote.js';

/** Unix socket paths are capped near 104 bytes; the socket name takes 48, so the directory must stay short. */
export const MAX_CONTROL_DIR_LENGTH = 54;

// A short private directory for the sockets: $XDG_RUNTIME_DIR/agent-dispatch-ssh, else <tmp>/agent-dispatch-ssh-<uid>.
export function defaultControlDir(env: NodeJS.ProcessEnv, uid: number = process.getuid?.() ?? 0): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && join(runtime, 'agent-dispatch-ssh').length <= MAX_CONTROL_DIR_LENGTH) return join(runtime, 'agent-dispatch-ssh');
  return join(tmpdir().length <= 30 ? tmpdir() : '/tmp', `agent-dispatch-ssh-${uid}`);
}

// Creates the directory 0700 and checks that it is ours, a real directory and private; undefined when it is not
// usable (then every run opens its own connection: slower, never shared with another user).
export function ensureControlDir(dir: string): string | undefined {
  return dir.length <= MAX_CONTROL_DIR_LENGTH && ensurePrivateDir(dir) ? dir : undefined;
}

/** Runs short commands on agents' hosts. */
export interface SshClient {
  readonly settings: SshSettings;
  /** The ssh executable (default "ssh"). */
  readonly binary: string;
  /** Local environment ssh runs with (SSH_AUTH_SOCK, HOME for ~/.ssh). */
  readonly env: NodeJS.ProcessEnv;
  // Runs `sh -c script sh args...` on the endpoint's host; never throws (a bad endpoint is exit 255 with a message).
  exec(endpoint: SshEndpoint, script: string, args?: readonly string[], options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<CommandResult>;
}

/** How to build the client. */
export interface SshClientOptions {
  env?: NodeJS.ProcessEnv;
  binary?: string;
  /** Socket directory; default defaultControlDir(env). `false`: no connection reuse. */
  controlDir?: string | false;
  settings?: Omit<SshSettings, 'controlDir'>;
}

// The client every remote run, probe and doctor check of one process shares.
export function createSshClient(options: SshClientOptions = {}): SshClient {
  const env = options.env ?? process.env;
  const dir = options.controlDir === false ? undefined : ensureControlDir(options.controlDir ?? defaultControlDir(env));
  const settings: SshSettings = { ...options.settings, ...(dir === undefined ? {} : { controlDir: dir }) };
  const binary = options.binary ?? 'ssh';
  return {
    settings,
    binary,
    env,
    async exec(endpoint, script, args = [], opts = {}) {
      try {
        checkEndpoint(endpoint);
      } catch (error) {
        return { exitCode: 255, signal: null, stdout: '', stderr: `ssh: ${(error as Error).message}`, timedOut: false };
      }
      const command = shCommand(['sh', '-c', script, 'agent-dispatch', ...args]);
      return runCommand(binary, buildSshArgs(endpoint, command, settings), {
        env,
        cwd: '/',
        timeoutMs: opts.timeoutMs ?? ((settings.connectTimeout ?? 10) + 20) * 1000,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    },
  };
}

export type { CommandResult };
