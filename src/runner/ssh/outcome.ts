// What failed when a remote run or probe ends badly: ssh's own exit (255 and its stderr) or the remote
// wrapper's exit codes. Pure and table-tested. Everything here is error_type "unreachable".
import type { RunFailure } from '../adapter.js';
import { WRAPPER_EXIT, WRAPPER_MARK } from './wrapper.js';

// ssh's messages, most specific first, with what the user can do about each.
const SSH_FAILURES: { test: RegExp; what: string; hint: (host: string) => string }[] = [
  { test: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i, what: 'its host key has changed', hint: (h) => `If the host was reinstalled, remove the old key with \`ssh-keygen -R ${knownHostsName(h)}\` and check the new fingerprint; otherwise treat it as an attack.` },
  { test: /Host key verification failed|No \S+ host key is known for/i, what: 'its host key is not known or does not match', hint: (h) => `Connect once by hand (\`ssh ${h}\`) to check and accept its key; agent-dispatch never accepts keys itself.` },
  { test: /Could not resolve hostname|Name or service not known|Temporary failure in name resolution|nodename nor servname/i, what: 'its name does not resolve (DNS)', hint: () => 'Check the host name, or add a Host alias with HostName in ~/.ssh/config.' },
  { test: /Connection refused/i, what: 'it refused the connection (no sshd on that port)', hint: () => 'Check that sshd runs there and that the port is right ([user@]host:port).' },
  { test: /Permission denied|Too many authentication failures|no mutual signature|Authentication failed/i, what: 'it refused authentication', hint: (h) => `agent-dispatch never prompts: check that \`ssh -o BatchMode=yes ${h} true\` works (key loaded in ssh-agent, or IdentityFile).` },
  { test: /Connection timed out|Operation timed out|No route to host|Network is unreachable|timed out during banner exchange/i, what: 'it could not be reached within the connect timeout', hint: () => 'Check that the host is up and reachable from here (VPN, firewall).' },
  { test: /Timeout, server .* not responding|Connection (closed|reset) by|Broken pipe|client_loop: send disconnect|Connection to .* closed by remote host|mux_client_read_packet|Control socket connect/i, what: 'the connection was lost during the run', hint: () => 'The link dropped or sshd went away; check the host and retry.' },
];

// The failure for a remote run's exit, or undefined when the exit is the CLI's own (for the adapter to read).
export function classifySshExit(exitCode: number | null, stderrTail: string, where: { agent: string; host: string; directory: string; binary: string }): RunFailure | undefined {
  const mark = stderrTail.split('\n').findLast((line) => line.startsWith(WRAPPER_MARK))?.slice(WRAPPER_MARK.length).trim() ?? '';
  if (exitCode === WRAPPER_EXIT.noDirectory && mark.startsWith('no-directory')) {
    return { type: 'unreachable', message: `Agent ${where.agent}: the directory ${where.directory} does not exist on ${where.host}.`, hint: `Create it there, or point the agent elsewhere: \`agent-dispatch update ${where.agent} --directory PATH\`.` };
  }
  if (exitCode === WRAPPER_EXIT.noCli && mark.startsWith('no-cli')) {
    return { type: 'unreachable', message: `Agent ${where.agent}: \`${where.binary}\` was not found on ${where.host} (on the PATH a non-interactive ssh session gets).`, hint: `Install it there, or set PATH in the agent's env so a non-interactive shell finds it.` };
  }
  if ((exitCode === WRAPPER_EXIT.badFrame || exitCode === WRAPPER_EXIT.noTemp) && mark !== '') {
    return { type: 'unreachable', message: `Agent ${where.agent}: the remote wrapper on ${where.host} failed (${mark}).`, hint: 'The host needs a POSIX sh with mktemp, head -c and setsid (Linux).' };
  }
  // 255 is ssh's own failure, unless the wrapper recorded that the CLI itself exited 255.
  if (exitCode !== 255 || mark.startsWith('exit ')) return undefined;
  const found = SSH_FAILURES.find((f) => f.test.test(stderrTail));
  const line = lastSshLine(stderrTail);
  if (found) return { type: 'unreachable', message: `Agent ${where.agent}: host ${where.host}: ${found.what}${line ? ` (${line})` : ''}.`, hint: found.hint(where.host) };
  return {
    type: 'unreachable',
    message: `Agent ${where.agent}: the connection to ${where.host} failed or was lost during the run${line ? ` (${line})` : ''}.`,
    hint: `Run \`ssh -o BatchMode=yes ${where.host} true\` to see whether the host answers.`,
  };
}

// stderr without the wrapper's exit record (the CLI's own lines stay).
export function stripExitRecord(stderr: string): string {
  return stderr.replace(new RegExp(`^${WRAPPER_MARK} exit \\d+\\n?`, 'gm'), '');
}

// The known_hosts name ssh-keygen -R wants: "host" or "[host]:port".
function knownHostsName(host: string): string {
  const m = /^(?:[^@]*@)?(.+?)(?::(\d+))?$/.exec(host);
  return m?.[2] ? `'[${m[1]}]:${m[2]}'` : (m?.[1] ?? host);
}

// The last line ssh wrote, trimmed for a message.
function lastSshLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith(WRAPPER_MARK) && !l.startsWith('@'));
  return (lines.at(-1) ?? '').slice(0, 200);
}
