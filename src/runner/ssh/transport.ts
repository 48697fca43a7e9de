// A run on a remote host: what to spawn locally (ssh with the wrapper as its remote command) and the bytes for
// its stdin. Pure: the runner supervises the local ssh like any CLI, so every runtime adapter works unchanged.
import { buildSshArgs, checkEndpoint, type SshEndpoint, type SshSettings } from './args.js';
import { frameInput, remoteCommand } from './wrapper.js';

/** What the runner spawns for a remote run. */
export interface RemoteSpawn {
  command: string;
  args: string[];
  /** Framed env and prompt; stdin then stays open as the liveness channel. */
  stdin: Buffer;
}

// Builds the spawn for `binary args` in `directory` on the endpoint's host; throws INVALID_INPUT for a bad host or option.
export function remoteSpawn(spec: {
  endpoint: SshEndpoint;
  directory: string;
  binary: string;
  args: readonly string[];
  /** The CLI's environment on the remote host (added to its login environment). */
  env: Readonly<Record<string, string>>;
  prompt: string;
  sshBinary?: string;
  settings?: SshSettings;
}): RemoteSpawn {
  checkEndpoint(spec.endpoint);
  return {
    command: spec.sshBinary ?? 'ssh',
    args: buildSshArgs(spec.endpoint, remoteCommand(spec.directory, spec.binary, spec.args), spec.settings),
    stdin: frameInput(spec.env, spec.prompt),
  };
}
