// Small text helpers for messages: the closest known word ("did you mean …?") and a short preview of a value.

// Edit distance counting a swap of neighbours as one edit (optimal string alignment), for short words.
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

// The candidate closest to `word` when it is plausibly a typo of it, else undefined.
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 100) return undefined;
  const lower = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = distance(lower, name.toLowerCase());
    if (d <= Math.max(1, Math.floor(name.length / 4)) && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}

// A short, single-line, escaped rendering of a user-supplied value for an error message.
export function preview(value: unknown, max = 40): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return value instanceof Date ? `the date ${value.toISOString().slice(0, 10)}` : 'a mapping';
  const chars = [...(JSON.stringify(value) ?? String(value))];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…" (${String(value).length} characters)` : chars.join('');
}
