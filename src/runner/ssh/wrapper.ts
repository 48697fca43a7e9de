// The fixed POSIX sh wrapper that runs an agent's CLI on its remote host (issue 17), and the stdin framing
// it reads. Nothing is installed there: the script travels in the ssh command line, quoted as one word.
//
// stdin: "<env bytes> <prompt bytes>\n", an `export` script, the prompt, and then nothing: we keep our end
// open for the whole run. The CLI runs in its own session (setsid) with the prompt (a file) as its stdin; a
// watcher waits for EOF on the channel, which comes when the local ssh ends for any reason (cancel, timeout,
// our shutdown or SIGKILL, a dropped link noticed by keepalives) and then kills the CLI's process group.
import { envScript, shQuote } from './quote.js';

/** Wrapper exit codes for failures of its own (chosen above what CLIs use, below signal codes). */
export const WRAPPER_EXIT = { badFrame: 94, noTemp: 95, noDirectory: 97, noCli: 98 } as const;

/** Marker at the start of the wrapper's own stderr lines, so its failures are told apart from the CLI's. */
export const WRAPPER_MARK = 'agent-dispatch-remote:';

/** Seconds between the watcher's SIGTERM and SIGKILL of the CLI's group. */
export const REMOTE_KILL_GRACE_SECONDS = 3;

// `~` and `~/x` are expanded against the login HOME before the agent's env is applied (which may set HOME).
// Few programs run (each costs a fork and exec on the host): the env is eval'd from the stream, never written
// to disk; the prompt file is created owner-only with O_EXCL (noclobber), opened, and unlinked at once.
export const WRAPPER_SCRIPT = [
  'd=$1; b=$2; shift 2',
  'case $d in "~") d=$HOME ;; "~/"*) d=$HOME/${d#"~/"} ;; esac',
  `IFS=' ' read -r e n || { echo "${WRAPPER_MARK} bad-frame" >&2; exit ${WRAPPER_EXIT.badFrame}; }`,
  `eval "$(head -c "$e")" || { echo "${WRAPPER_MARK} bad-frame" >&2; exit ${WRAPPER_EXIT.badFrame}; }`,
  'f=${TMPDIR:-/tmp}/agent-dispatch-$$.prompt',
  `(umask 077; set -C; head -c "$n" > "$f") || { echo "${WRAPPER_MARK} no-temp $f" >&2; exit ${WRAPPER_EXIT.noTemp}; }`,
  'exec 4< "$f"; rm -f "$f"',
  `cd "$d" 2>/dev/null || { echo "${WRAPPER_MARK} no-directory $d" >&2; exit ${WRAPPER_EXIT.noDirectory}; }`,
  `command -v "$b" >/dev/null 2>&1 || { echo "${WRAPPER_MARK} no-cli $b" >&2; exit ${WRAPPER_EXIT.noCli}; }`,
  'exec 3<&0',
  'setsid "$b" "$@" <&4 3<&- 4<&- &',
  'c=$!',
  `( cat >/dev/null; kill -TERM -"$c" 2>/dev/null; sleep ${REMOTE_KILL_GRACE_SECONDS}; kill -KILL -"$c" 2>/dev/null ) <&3 4<&- >/dev/null 2>&1 &`,
  'w=$!',
  'exec 3<&- 4<&- 0</dev/null',
  'wait "$c"; r=$?',
  // Leftovers in the CLI's group (background jobs) go too, as they do for a local run.
  'kill "$w" 2>/dev/null; kill -TERM -"$c" 2>/dev/null',
  // The exit record: ssh also exits 255 for its own failures, and this line tells the two apart.
  `echo "${WRAPPER_MARK} exit $r" >&2`,
  'exit "$r"',
].join('\n');

// The remote command line: `sh -c WRAPPER agent-dispatch DIR BIN ARGS...`, every word quoted.
export function remoteCommand(directory: string, binary: string, args: readonly string[]): string {
  return ['sh', '-c', shQuote(WRAPPER_SCRIPT), 'agent-dispatch', ...[directory, binary, ...args].map(shQuote)].join(' ');
}

// The bytes written to the remote wrapper's stdin before it is held open.
export function frameInput(env: Readonly<Record<string, string>>, prompt: string): Buffer {
  const script = Buffer.from(envScript(env), 'utf8');
  const input = Buffer.from(prompt, 'utf8');
  return Buffer.concat([Buffer.from(`${script.length} ${input.length}\n`), script, input]);
}
