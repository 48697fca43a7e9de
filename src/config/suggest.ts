// Small text helpers for messages: the closest known word ("did you mean …?") and a short preview of a value.

// Edit distance, capped: we only care whether two short words are within a couple of edits.
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j] as number;
      row[j] = next;
    }
  }
  return row[b.length] as number;
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
