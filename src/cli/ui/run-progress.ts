// Shows one agent run as it happens. On a terminal: a spinner line (elapsed time, turn, the tool running now)
// with each tool call printed above it. Elsewhere: plain timestamped lines, only when asked (--stream).
// The caller passes stderr as the sink, so stdout carries the answer alone.
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
  /** `answered`: the answer is printed next, so the text that ended the run is not shown twice. */
  stop(options?: { answered: boolean }): void;
}

// Start showing progress (the spinner starts at once on a terminal).
export function startRunProgress(options: RunProgressOptions): RunProgress {
  const { sink, palette: c, stream } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const tracker = new ProgressTracker(now);
  const tty = sink.isTTY === true;
  const stamp = () => formatDuration(now() - started).padStart(8);
  // Tools started and not yet answered: the spinner names one only while it runs.
  const running = new Map<string, string>();
  // Text since the last tool call: shown once the agent moves on, dropped when it turns out to be the answer.
  let held: string[] = [];
  let live: LiveLine | undefined;
  if (tty) {
    live = startLiveLine({
      sink,
      paint: c.cyan,
      ...(options.now ? { now: options.now } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      status: (elapsed) => {
        const s = tracker.current();
        return [options.agent, formatDuration(elapsed), s.turns > 0 ? `turn ${s.turns}` : 'thinking', [...running.values()].at(-1)].filter(Boolean).join(' · ');
      },
    });
  }
  const print = (line: string) => (live ? live.log(line) : sink.write(`${line}\n`));
  const release = () => {
    for (const line of held) print(line);
    held = [];
  };
  return {
    onEvent(event) {
      tracker.update(event);
      const show = tty || stream;
      if (event.type === 'tool_use') {
        running.set(event.id, describeToolInput(event.name, event.input));
        release();
        if (show) print(`${c.dim(stamp())}  ${c.cyan('→')} ${describeToolInput(event.name, event.input)}`);
      } else if (event.type === 'tool_result') {
        running.delete(event.toolUseId);
        if (event.isError && show) print(`${c.dim(stamp())}  ${c.yellow('!')} ${oneLine(event.content, 120)}`);
      } else if (event.type === 'text' && stream && event.text.trim() !== '') {
        held.push(`${c.dim(stamp())}  ${c.dim(oneLine(event.text, 160))}`);
      } else if (event.type === 'init' && stream && !tty) {
        print(`${stamp()}  started${event.model ? ` (${event.model})` : ''}`);
      }
      live?.refresh();
    },
    stop(stopOptions) {
      if (!stopOptions?.answered) release();
      live?.stop();
    },
  };
}
