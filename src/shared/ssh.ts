// Rules for an agent's `host:` and `ssh_options:` (issue 17). Pure; shared by the config schema, the tools'
// input checks and the runner, which checks again before anything reaches the ssh command line.

/** A parsed `host:` value: what ssh gets as its destination, and the port for `-p` when one was given. */
export interface SshTarget {
  destination: string;
  port?: number;
}

// user@ is optional; the host is an ssh_config alias, a DNS name, an IPv4 address or a bracketed IPv6 address.
const HOST = /^(?:([A-Za-z0-9._][A-Za-z0-9._-]{0,63})@)?([A-Za-z0-9_][A-Za-z0-9._-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?$/;

/**
 * ssh options an agent may set, by their canonical names. An allowlist, not a denylist: an option missing here
 * is refused, so nothing in agents.yaml can make ssh run a command (ProxyCommand, LocalCommand, KnownHostsCommand,
 * RemoteCommand), read another config (Include), load a library (PKCS11Provider, SecurityKeyProvider), open
 * forwards, or take over what agent-dispatch manages (BatchMode, ControlMaster, ControlPath, RequestTTY). Put
 * anything else in your own ~/.ssh/config, which ssh reads as usual.
 */
export const SSH_OPTION_ALLOWLIST: readonly string[] = [
  'AddressFamily',
  'CertificateFile',
  'CheckHostIP',
  'Ciphers',
  'Compression',
  'ConnectionAttempts',
  'ConnectTimeout',
  'ControlPersist',
  'GlobalKnownHostsFile',
  'HashKnownHosts',
  'HostKeyAlgorithms',
  'HostKeyAlias',
  'HostName',
  'IdentitiesOnly',
  'IdentityAgent',
  'IdentityFile',
  'IPQoS',
  'KexAlgorithms',
  'LogLevel',
  'MACs',
  'Port',
  'PreferredAuthentications',
  'ProxyJump',
  'PubkeyAcceptedAlgorithms',
  'PubkeyAuthentication',
  'ServerAliveCountMax',
  'ServerAliveInterval',
  'StrictHostKeyChecking',
  'TCPKeepAlive',
  'UpdateHostKeys',
  'User',
  'UserKnownHostsFile',
];

// Newlines, tabs and other control characters (U+0000–U+001F, U+007F).
const hasControl = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const CANONICAL = new Map(SSH_OPTION_ALLOWLIST.map((name) => [name.toLowerCase(), name]));

// Host key checking stays on: "no" and "off" would accept any key.
const STRICT_VALUES = new Set(['yes', 'accept-new', 'ask']);

// Why a host value is not allowed, or undefined when it is fine.
export function sshHostProblem(host: string): string | undefined {
  if (host === '') return 'it is empty';
  if (host.startsWith('-')) return 'it starts with "-", which ssh would read as an option';
  if (/\s/.test(host) || hasControl(host)) return 'it contains whitespace or a control character';
  const m = HOST.exec(host);
  if (!m) return 'it must be an ssh_config alias or [user@]host[:port] (letters, digits, ".", "-", "_"; no shell characters)';
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return `port ${m[3]} is not between 1 and 65535`;
  return undefined;
}

// Split a valid host value into ssh's destination and port; throws on an invalid one.
export function parseSshHost(host: string): SshTarget {
  const problem = sshHostProblem(host);
  const m = problem === undefined ? HOST.exec(host) : null;
  if (!m) throw new Error(`Invalid host "${host}": ${problem}`);
  const destination = `${m[1] === undefined ? '' : `${m[1]}@`}${m[2]}`;
  return m[3] === undefined ? { destination } : { destination, port: Number(m[3]) };
}

// Why one `Key=Value` ssh option is not allowed, or undefined when it is fine.
export function sshOptionProblem(option: string): string | undefined {
  if (hasControl(option)) return 'it contains a newline or control character';
  const eq = option.indexOf('=');
  if (eq <= 0) return 'it must be written Key=Value, e.g. IdentityFile=~/.ssh/id_dev';
  const key = option.slice(0, eq).trim();
  const value = option.slice(eq + 1).trim();
  const name = CANONICAL.get(key.toLowerCase());
  if (name === undefined) return `${key} is not an allowed option (allowed: ${SSH_OPTION_ALLOWLIST.join(', ')}); set it in ~/.ssh/config instead`;
  if (value === '') return `${name} has no value`;
  if (/[\s"'\\`$;&|<>]/.test(value)) return `the value of ${name} contains a space, quote or shell character`;
  if (value.startsWith('-')) return `the value of ${name} starts with "-"`;
  if (name === 'StrictHostKeyChecking' && !STRICT_VALUES.has(value.toLowerCase())) return 'StrictHostKeyChecking may be yes, accept-new or ask: host key checking stays on';
  if (name === 'ProxyJump' && value.toLowerCase() !== 'none') {
    const bad = value.split(',').map((hop) => hop.replace(/^ssh:\/\//, '')).find((hop) => sshHostProblem(hop) !== undefined);
    if (bad !== undefined) return `ProxyJump hop "${bad}" is not a valid [user@]host[:port]`;
  }
  return undefined;
}

// The option as passed after `-o`: canonical key, trimmed value.
export function normalizeSshOption(option: string): string {
  const eq = option.indexOf('=');
  const key = option.slice(0, eq).trim();
  return `${CANONICAL.get(key.toLowerCase()) ?? key}=${option.slice(eq + 1).trim()}`;
}

// Why a remote directory is not usable, or undefined: an absolute path or one under the remote home (~/...).
export function remoteDirectoryProblem(dir: string): string | undefined {
  if (dir.trim() === '') return 'it is empty';
  if (hasControl(dir)) return 'it contains a newline or control character';
  if (dir.length > 4096) return `it is ${dir.length} characters long (the limit is 4096)`;
  if (!(dir.startsWith('/') || dir === '~' || dir.startsWith('~/'))) return 'on a remote host it must be absolute (/srv/app) or under the remote home (~/app)';
  return undefined;
}
