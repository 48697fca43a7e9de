// Small text helpers for human output: durations, money, terminal widths and shell-safe commands (pure).

// "850 ms", "2.4 s", "3 min 05 s".
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

// "2026-05-04 16:03:04" in local time: the one date style of human output (JSON output uses ISO 8601 UTC).
export function localDateTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// "$0.0008", "$0.012", "$1.25": small costs keep their significant digits.
export function formatCost(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return '$?';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
  if (usd < 1) return `$${usd.toFixed(3).replace(/0+$/, '').replace(/\.$/, '')}`;
  return `$${usd.toFixed(2)}`;
}

// Cut text to `max` characters with an ellipsis (one-line status output must not wrap).
export function fitWidth(text: string, max: number): string {
  const chars = [...text];
  if (max <= 0) return '';
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

// Quote one argument for a POSIX shell, only when it needs it: fix commands are meant to be pasted.
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// A pasteable command line.
export function shellCommand(args: readonly string[]): string {
  return args.map(shellQuote).join(' ');
}
