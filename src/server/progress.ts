// Sends notifications/progress while an agent works, so clients show live work and reset their idle timers.
import type { ProgressToken } from '@modelcontextprotocol/server';
import type { RunEvent } from '../shared/types.js';

/** Where a call's notifications go: the request's progress token (if the client sent one) and the SDK's
 *  `ctx.mcpReq.notify`, which sends them as related to the request (so per-request HTTP streams carry them). */
export interface ProgressChannel {
  token?: ProgressToken | undefined;
  notify(notification: { method: string; params: Record<string, unknown> }): Promise<void>;
}

/** Shared by every progress sink of one tool call: the progress value and the time of the last notification. */
export interface ProgressCounter {
  n: number;
  lastSentAt?: number;
}

/** Callbacks to hand to the dispatcher, plus a way to flush the last line. */
export interface ProgressSink {
  onJob(jobId: string): void;
  /** An event of the run and its progress line (from the job's tracker; events without one send nothing). */
  onEvent(event: RunEvent, line?: string): void;
  /** The call is over: drop a line still waiting for its slot (its progress token is no longer valid). */
  close(): void;
}

/** How one sink labels, paces and mirrors its lines. */
export interface SinkOptions {
  label: string;
  minIntervalMs?: number;
  /** Also send each line as notifications/message (dispatch_stream). */
  log?: boolean;
  now?: () => number;
  counter?: ProgressCounter;
}

// Build a sink for one call. At most one notification per
// `minIntervalMs`; a skipped line is sent with the next one, so the last state always arrives.
export function progressSink(channel: ProgressChannel, options: SinkOptions): ProgressSink {
  const token = channel.token;
  const minInterval = options.minIntervalMs ?? 250;
  const now = options.now ?? Date.now;
  // Every sink of one call shares the counter (progress must increase) and the rate limit.
  const counter = options.counter ?? { n: 0 };
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const send = (message: string) => {
    pending = undefined;
    counter.lastSentAt = now();
    counter.n += 1;
    if (token !== undefined) {
      void channel.notify({ method: 'notifications/progress', params: { progressToken: token, progress: counter.n, message: message.slice(0, 200) } }).catch(() => {});
    }
    if (options.log) {
      void channel.notify({ method: 'notifications/message', params: { level: 'info', logger: 'agent-dispatch', data: message } }).catch(() => {});
    }
  };

  const push = (line: string) => {
    if (closed) return;
    const message = `${options.label} · ${line}`;
    const wait = (counter.lastSentAt ?? -Infinity) + minInterval - now();
    if (wait <= 0) return send(message);
    pending = message;
    timer ??= setTimeout(() => {
      timer = undefined;
      if (pending) send(pending);
    }, wait).unref();
  };

  return {
    onJob: (jobId) => push(`job ${jobId} started; if this call is lost, recover it with dispatch_status(job_id="${jobId}")`),
    onEvent: (_event, line) => {
      if (line) push(line);
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}
