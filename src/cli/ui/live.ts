// A live status line for terminals: a spinner redrawn in place (status computed on every frame, so elapsed
// time ticks), with permanent lines printed above it. Only for TTYs; pipes get plain lines from the caller.
import type { TextSink } from '../context.js';
import { fitWidth } from './text.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/** Timer functions, injectable for tests. */
export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** How to build a live line. */
export interface LiveLineOptions {
  sink: TextSink;
  /** The status text after the spinner, recomputed each frame from the elapsed milliseconds. */
  status: (elapsedMs: number) => string;
  /** Colours the spinner frame (e.g. palette.cyan). */
  paint?: (frame: string) => string;
  now?: () => number;
  timers?: Timers;
  intervalMs?: number;
}

/** A running live line. */
export interface LiveLine {
  /** Print a permanent line above the status line. */
  log(line: string): void;
  /** Redraw now (after the status inputs changed). */
  refresh(): void;
  /** Remove the status line and restore the cursor; idempotent. */
  stop(): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    handle.unref(); // a spinner must never keep the process alive
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

// Start drawing. The line is cut to the terminal width: a wrapped line could not be redrawn in place.
export function startLiveLine(options: LiveLineOptions): LiveLine {
  const { sink } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const paint = options.paint ?? ((frame: string) => frame);
  const started = now();
  let frame = 0;
  let stopped = false;

  const width = () => Math.max(20, (sink.columns ?? 80) - 1);
  const draw = () => {
    if (stopped) return;
    const text = fitWidth(options.status(now() - started), width() - 2);
    sink.write(`${CLEAR_LINE}${paint(FRAMES[frame % FRAMES.length] as string)} ${text}`);
  };
  const handle = timers.setInterval(() => {
    frame += 1;
    draw();
  }, options.intervalMs ?? 80);
  sink.write(HIDE_CURSOR);
  draw();

  return {
    log(line) {
      if (stopped) {
        sink.write(`${line}\n`);
        return;
      }
      sink.write(`${CLEAR_LINE}${line}\n`);
      draw();
    },
    refresh: draw,
    stop() {
      if (stopped) return;
      stopped = true;
      timers.clearInterval(handle);
      sink.write(`${CLEAR_LINE}${SHOW_CURSOR}`);
    },
  };
}
