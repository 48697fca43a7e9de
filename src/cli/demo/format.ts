// How the demo prints: short quoted text, money, durations, and one line per dispatch result. Pure.

// Cut to `max` characters on one line, with an ellipsis when cut.
export function clip(value: string, max = 100): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// US dollars with enough digits for the stand-in's tiny prices.
export function usd(value: unknown): string {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : 0;
  return `$${n.toFixed(4)}`;
}

// Milliseconds as "850 ms" or "2.3 s".
export function duration(ms: unknown): string {
  const n = typeof ms === 'number' && Number.isFinite(ms) ? ms : 0;
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

// One dispatch result (the tool's structured content) as the demo shows it.
export function describeView(view: Record<string, unknown>): string {
  const meta = `job ${String(view.job_id ?? '-')} · ${usd(view.cost_usd)} · ${duration(view.duration_ms)} · ${String(view.num_turns ?? '?')} turn(s)${view.cached ? ' · cached' : ''}`;
  if (view.success === true) return `${String(view.agent)} answered "${clip(String(view.result ?? ''))}"\n      ${meta}`;
  return `${String(view.agent)} FAILED (${String(view.error_type ?? 'error')}): ${clip(String(view.error ?? ''))}\n      ${meta}`;
}

// A tool call's arguments, compact.
export function describeArgs(input: Record<string, unknown>): string {
  return clip(JSON.stringify(input), 160);
}
