// Human output helpers: colour (only on a terminal, never with NO_COLOR), tables, paths. Pure: they return strings.
import type { TextSink } from './context.js';

/** ANSI styles we use. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Style, [number, number]> = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] };

// Colour when writing to a terminal, unless NO_COLOR is set (non-empty); FORCE_COLOR (not "0") turns it on anyway.
export function colorEnabled(sink: Pick<TextSink, 'isTTY'>, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return sink.isTTY === true;
}

// Wrap text in a style when colour is on.
export function paint(text: string, style: Style, on: boolean): string {
  const [open, close] = CODES[style];
  return on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
}

// Display length in code points (so an emoji or accented letter counts once).
const width = (text: string) => [...text].length;

// Cut text to `max` code points, marking the cut with "…"; control characters are shown as spaces.
export function truncate(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we replace
  const chars = [...text.replace(/[\u0000-\u001f\u007f]/g, ' ')];
  if (chars.length <= max) return chars.join('');
  return max <= 1 ? '…'.slice(0, max) : `${chars.slice(0, max - 1).join('')}…`;
}

/** A table cell: text, optionally styled. */
export type Cell = string | { text: string; style?: Style };

/** How to lay a table out. */
export interface TableOptions {
  color: boolean;
  /** Terminal width: flexible columns are cut to fit. Undefined: no limit (pipes get whole lines). */
  maxWidth?: number;
  /** Columns that may be cut, widest first (default: the last one). */
  flexible?: number[];
}

// Columns padded to their widest cell, two spaces apart, bold header; flexible columns shrink to fit the width.
export function renderTable(headers: string[], rows: Cell[][], options: TableOptions): string {
  const text = (cell: Cell | undefined) => truncate(typeof cell === 'string' ? cell : (cell?.text ?? ''), 10_000);
  const last = headers.length - 1;
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(text(r[i])))));
  if (options.maxWidth !== undefined) {
    const flexible = options.flexible ?? [last];
    let excess = widths.reduce((a, b) => a + b, 0) + 2 * last - options.maxWidth;
    while (excess > 0) {
      const widest = flexible.filter((i) => (widths[i] as number) > 10).sort((a, b) => (widths[b] as number) - (widths[a] as number))[0];
      if (widest === undefined) break;
      widths[widest] = (widths[widest] as number) - 1;
      excess--;
    }
  }
  const line = (cells: Cell[], header: boolean) =>
    cells
      .map((cell, i) => {
        const raw = truncate(text(cell), widths[i] as number);
        const padded = i === last ? raw : raw + ' '.repeat((widths[i] as number) - width(raw));
        const style = header ? 'bold' : typeof cell === 'string' ? undefined : cell.style;
        return style === undefined ? padded : paint(padded, style, options.color);
      })
      .join('  ')
      .trimEnd();
  return [line(headers, true), ...rows.map((r) => line(r, false))].join('\n') + '\n';
}

// "~/projects/x" for paths under the home directory.
export function tildify(path: string, homedir: string): string {
  if (homedir !== '' && homedir !== '/' && (path === homedir || path.startsWith(`${homedir}/`))) return `~${path.slice(homedir.length)}`;
  return path;
}

// Aligned "label  value" lines for a detail view.
export function renderFields(fields: [string, string][], color: boolean): string {
  const pad = Math.max(...fields.map(([label]) => width(label)));
  return fields.map(([label, value]) => `  ${paint(label.padEnd(pad), 'dim', color)}  ${value}`).join('\n') + '\n';
}

// "1 agent" / "2 agents".
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
