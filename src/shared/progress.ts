// Turns a run's live events into a readable progress line and a snapshot ("turn 3 · Bash: npm test · $0.04").
import type { RunEvent } from './types.js';

/** What the agent is doing now. */
export interface ProgressSnapshot {
  turns: number;
  lastTool?: string;
  lastText?: string;
  costUsd?: number;
  /** Rolling tail of progress lines, newest last. */
  tail: string[];
  updatedAt: number;
}

const TAIL_LINES = 20;
const LINE_CHARS = 160;

// Summarise a tool call's input in a few words: the command, the path, or the first string field.
export function describeToolInput(name: string, input: unknown): string {
  if (!input || typeof input !== 'object') return name;
  const fields = input as Record<string, unknown>;
  const pick = fields.command ?? fields.file_path ?? fields.path ?? fields.pattern ?? fields.url ?? fields.description ??
    Object.values(fields).find((v) => typeof v === 'string');
  return typeof pick === 'string' && pick.length > 0 ? `${name}: ${oneLine(pick, 80)}` : name;
}

// Collapse whitespace and cut to `max` characters with an ellipsis.
export function oneLine(text: string, max = LINE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Accumulates progress over a run's events. */
export class ProgressTracker {
  private snapshot: ProgressSnapshot;

  constructor(private readonly now: () => number = Date.now) {
    this.snapshot = { turns: 0, tail: [], updatedAt: now() };
  }

  // Fold one event in; returns the line to show for it, if it deserves one.
  update(event: RunEvent): string | undefined {
    let line: string | undefined;
    const s = this.snapshot;
    switch (event.type) {
      case 'init':
        line = `started${event.model ? ` (${event.model})` : ''}`;
        break;
      case 'text':
        if (event.text.trim()) {
          s.lastText = oneLine(event.text);
          line = s.lastText;
        }
        break;
      case 'tool_use':
        s.turns += 1;
        s.lastTool = describeToolInput(event.name, event.input);
        line = `turn ${s.turns} · ${s.lastTool}`;
        break;
      case 'tool_result':
        if (event.isError) line = `tool error: ${oneLine(event.content, 100)}`;
        break;
      case 'result':
        if (event.costUsd !== undefined) s.costUsd = event.costUsd;
        if (event.numTurns !== undefined) s.turns = Math.max(s.turns, event.numTurns);
        line = event.ok ? 'finished' : `failed: ${oneLine(event.text, 100)}`;
        break;
      case 'approval_request':
        line = `input required: approve ${describeToolInput(event.toolName, event.input)}? (request ${event.requestId})`;
        break;
      case 'approval_decision':
        line = `${event.decision === 'deny' ? 'denied' : 'allowed'} ${event.toolName} (request ${event.requestId}, by ${event.decidedBy})`;
        break;
    }
    s.updatedAt = this.now();
    if (line) {
      s.tail.push(line);
      if (s.tail.length > TAIL_LINES) s.tail.splice(0, s.tail.length - TAIL_LINES);
    }
    return line;
  }

  // A copy of the current snapshot.
  current(): ProgressSnapshot {
    return { ...this.snapshot, tail: [...this.snapshot.tail] };
  }
}
