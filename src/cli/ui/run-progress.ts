// Shows one agent run as it happens. On a terminal: a spinner line (elapsed time, turn, current tool) with
// each tool call printed above it. Elsewhere: plain timestamped lines, only when asked (--stream).
import type { RunEvent } from '../../shared/types.js';
import { describeToolInput, oneLine, ProgressTracker } from '../../shared/progress.js';
import type { TextSink } from '../context.js';
import type { Palette } from './color.js';
import { startLiveLine, type LiveLine, type Timers } from './live.js';
import { formatDuration } from './text.js';

/** How to show a run. */
export interface RunProgressOptions {
  sink: TextSink;
  palette: Palette;
  agent: string;
  /** Also show the agent's text between tool calls, and plain lines when the sink is not a terminal. */
  stream: boolean;
  now?: () => number;
  timers?: Timers;
}

/** Feeds events in; stop() before printing the result. */
export interface RunProgress {
  onEvent(event: RunEvent): void;
  stop(): void;
}

// Start showing progress (the spinner starts at once on a terminal).
export function startRunProgress(options: RunProgressOptions): RunProgress {
  const { sink, palette: c, stream } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const tracker = new ProgressTracker(now);
  const tty = sink.isTTY === true;
  const stamp = () => formatDuration(now() - started).padStart(8);
  let live: LiveLine | undefined;
  if (tty) {
    live = startLiveLine({
      sink,
      paint: c.cyan,
      ...(options.now ? { now: options.now } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      status: (elapsed) => {
        const s = tracker.current();
        return [options.agent, formatDuration(elapsed), s.turns > 0 ? `turn ${s.turns}` : 'thinking', s.lastTool].filter(Boolean).join(' · ');
      },
    });
  }
  const print = (line: string) => (live ? live.log(line) : sink.write(`${line}\n`));
  return {
    onEvent(event) {
      tracker.update(event);
      const show = tty || stream;
      if (event.type === 'tool_use' && show) {
        print(`${c.dim(stamp())}  ${c.cyan('→')} ${describeToolInput(event.name, event.input)}`);
      } else if (event.type === 'tool_result' && event.isError && show) {
        print(`${c.dim(stamp())}  ${c.yellow('!')} ${oneLine(event.content, 120)}`);
      } else if (event.type === 'text' && stream && event.text.trim() !== '') {
        print(`${c.dim(stamp())}  ${c.dim(oneLine(event.text, 160))}`);
      } else if (event.type === 'init' && stream && !tty) {
        print(`${stamp()}  started${event.model ? ` (${event.model})` : ''}`);
      }
      live?.refresh();
    },
    stop: () => live?.stop(),
  };
}
