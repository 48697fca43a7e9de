// Writes an edited Document back with the smallest textual change. yaml's stringifier normalises the whole
// file (comment alignment, flow-list spacing, where a comment after `key:` goes); we want only the edited
// lines to change. So: render the document before and after the edit the same way, find the hunk that
// differs, line the normalised "before" up with the user's text, and splice the hunk into the user's text.
// If the result does not parse to exactly the edited data, fall back to the full rendering.
import { parseDocument, type Document, type ToStringOptions } from 'yaml';

// The user's indentation: the first indented key line gives the step; a "- " at its parent key's
// indentation means sequences are not indented.
export function detectStyle(text: string): ToStringOptions {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const first = lines.find((l) => /^ +[^\s-]/.test(l));
  const step = first === undefined ? 2 : first.length - first.trimStart().length;
  let indentSeq = true;
  for (let i = 1; i < lines.length; i++) {
    const dash = /^( *)- /.exec(lines[i] as string);
    const parent = /^( *)[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i - 1] as string);
    if (dash && parent) {
      indentSeq = (dash[1] as string).length > (parent[1] as string).length;
      break;
    }
  }
  return { indent: step >= 2 && step <= 8 ? step : 2, indentSeq, lineWidth: 0, minContentWidth: 0 };
}

// Lines compare equal when they differ only in spacing (comment alignment, `[ a, b ]` vs `[a, b]`).
const loose = (line: string) => line.replace(/\s+/g, '');

// For each line of `norm`, the index of the matching line of `source`, or -1. Greedy, in order, with a
// small look-ahead to step over lines the normaliser split, merged or changed.
export function alignLines(source: string[], norm: string[], window = 8): number[] {
  const match = new Array<number>(norm.length).fill(-1);
  let i = 0;
  let j = 0;
  while (i < source.length && j < norm.length) {
    if (loose(source[i] as string) === loose(norm[j] as string)) {
      match[j++] = i++;
      continue;
    }
    let synced = false;
    for (let d = 1; d <= window && !synced; d++) {
      for (let x = 0; x <= d && !synced; x++) {
        const si = i + x;
        const nj = j + d - x;
        if (si < source.length && nj < norm.length && loose(source[si] as string) === loose(norm[nj] as string)) {
          i = si;
          j = nj;
          synced = true;
        }
      }
    }
    if (!synced) {
      i++;
      j++;
    }
  }
  return match;
}

// Same data, as JSON, for the safety check.
const dataOf = (doc: Document) => JSON.stringify(doc.toJS({ maxAliasCount: 100 }));

// Render `edited` (a Document parsed from `original`, then changed) keeping every untouched line of `original`.
// `baseline` is the unchanged Document rendered with detectStyle(original), when the caller has it (saves a parse).
export function renderEdited(original: string, edited: Document, baseline?: string): string {
  const options = detectStyle(original);
  const next = edited.toString(options);
  if (original.trim() === '') return next;
  const crlf = original.includes('\r\n');
  const source = original.replace(/\r\n/g, '\n').replace(/\n*$/, '\n').split('\n');
  const before = (baseline ?? parseDocument(original, { version: '1.1' }).toString(options)).split('\n');
  const after = next.split('\n');
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  // Find where the hunk sits in the user's text: anchor each end on the hunk's own edge line or its outer
  // neighbour when they line up with the user's text, else widen to the nearest line that does.
  const match = alignLines(source, before);
  const end = before.length - tail;
  let from = head;
  let sourceFrom: number;
  if (head < end && match[head] !== -1) sourceFrom = match[head] as number;
  else {
    while (from > 0 && match[from - 1] === -1) from--;
    sourceFrom = from === 0 ? 0 : (match[from - 1] as number) + 1;
  }
  let to = end;
  let sourceTo: number;
  if (end > head && match[end - 1] !== -1) sourceTo = (match[end - 1] as number) + 1;
  else {
    while (to < before.length && match[to] === -1) to++;
    sourceTo = to === before.length ? source.length : (match[to] as number);
  }
  const middle = [...before.slice(from, head), ...after.slice(head, after.length - tail), ...before.slice(end, to)];
  const lines = [...source.slice(0, sourceFrom), ...middle, ...source.slice(sourceTo)];
  const spliced = lines.join(crlf ? '\r\n' : '\n');
  const check = parseDocument(spliced, { version: '1.1' });
  if (check.errors.length > 0 || dataOf(check) !== dataOf(edited)) return next;
  return spliced;
}
