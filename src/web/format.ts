// Number and time formatting for the pages (pure; the time zone is the server's, which is the user's machine).

// Dollars: 4 decimals below a cent so small runs do not all read $0.00.
export function formatUsd(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value === 0) return '$0';
  return Math.abs(value) < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

// A duration in ms as "850 ms", "12.3 s", "4 m 05 s" or "2 h 03 m".
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} m` : `${m} m ${String(sec).padStart(2, '0')} s`;
}

const pad = (n: number) => String(n).padStart(2, '0');

// "14:03:09" for today, "Mar 4 14:03" for other days of this year, "2024-03-04" before.
export function formatTime(at: number | undefined, now: number): string {
  if (at === undefined) return '–';
  const d = new Date(at);
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.getFullYear() === today.getFullYear()) {
    return `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// An ISO timestamp for title attributes and <time datetime>.
export function isoTime(at: number | undefined): string {
  return at === undefined ? '' : new Date(at).toISOString();
}

// A share as "93 %" (or "–" when there is nothing to divide).
export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)} %` : '–';
}

// Cut text to `max` characters with an ellipsis.
export function clip(text: string | undefined, max: number): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// Token counts as "1.2k", "3.4M".
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
