// A job's event timeline: turns, tool calls with their results, text, and the final result line.
import type { JobEvent } from '../../jobs/store/types.js';
import { describeRequest } from '../../shared/approvals.js';
import type { RunEvent } from '../../shared/types.js';
import { clip, formatDuration } from '../format.js';
import { html, type Html } from '../html.js';

// A one-line summary of a tool call: the command, path or pattern when there is one, else compact JSON (pure).
export function toolSummary(name: string, input: unknown): string {
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const fields = input as Record<string, unknown>;
    for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt']) {
      const value = fields[key];
      if (typeof value === 'string' && value.trim() !== '') return clip(value, 160);
    }
  }
  const json = JSON.stringify(input ?? null) ?? 'null';
  return clip(json === '{}' ? `${name}()` : json, 160);
}

// Assistant events that follow a tool result (or the start) open a new turn (pure).
export function turnStarts(events: readonly RunEvent[]): Set<number> {
  const starts = new Set<number>();
  let open = false;
  events.forEach((event, i) => {
    if (event.type === 'text' || event.type === 'tool_use') {
      if (!open) starts.add(i);
      open = true;
    } else if (event.type === 'tool_result' || event.type === 'init') open = false;
  });
  return starts;
}

function item(cls: string, at: string, kind: string, body: Html | string): Html {
  return html`<li class="${cls}"><span class="muted small num">${at}</span><span class="kind">${kind}</span><div>${body}</div></li>`;
}

function eventItem(event: RunEvent, at: string): Html {
  switch (event.type) {
    case 'init': {
      const servers = (event.mcpServers ?? []).map((s) => `${s.name} (${s.status})`).join(', ');
      return item('init', at, 'start', html`<span class="muted">model ${event.model ?? '?'} · ${event.tools?.length ?? 0} tools${servers ? ` · MCP: ${servers}` : ''}</span>`);
    }
    case 'text':
      return item('text', at, 'text', html`<pre>${event.text}</pre>`);
    case 'tool_use': {
      const json = JSON.stringify(event.input ?? null, null, 2) ?? 'null';
      const summary = toolSummary(event.name, event.input);
      const full = json.length > summary.length + 40 ? html`<details><summary class="muted small">input</summary><pre>${json}</pre></details>` : '';
      return item('tool_use', at, event.name, html`<code>${summary}</code>${full}`);
    }
    case 'tool_result':
      return item(`tool_result${event.isError ? ' error' : ''}`, at, event.isError ? 'tool error' : 'tool result', html`<pre>${event.content.length > 1200 ? `${event.content.slice(0, 1200)}…` : event.content}</pre>`);
    case 'result':
      return item(`result${event.ok ? '' : ' error'}`, at, event.ok ? 'finished' : 'failed', html`<span class="muted">${event.numTurns ?? '?'} turns${event.costUsd !== undefined ? ` · $${event.costUsd.toFixed(4)}` : ''}</span>`);
    case 'approval_request':
      return item('approval', at, 'asks', html`<span>permission for <b>${event.toolName}</b> (request <code>${event.requestId}</code>)</span><pre>${describeRequest(event.toolName, event.input)}</pre>`);
    case 'approval_decision':
      return item(`approval${event.decision === 'deny' ? ' error' : ''}`, at, event.decision.replace('_', ' '), html`<span class="muted">request <code>${event.requestId}</code> · by ${event.decidedBy} (${event.how})${event.note ? ` · ${event.note}` : ''}</span>`);
    default:
      return item('other', at, 'event', html`<code>${JSON.stringify(event)}</code>`);
  }
}

// The whole timeline; times are relative to `start` (the job's start).
export function renderTimeline(events: readonly JobEvent[], dropped: number, start: number): Html {
  if (events.length === 0) return html`<p class="muted">No events yet.</p>`;
  const starts = turnStarts(events.map((e) => e.event));
  let turn = 0;
  const items = events.map((e, i) => {
    const at = `+${formatDuration(Math.max(0, e.at - start))}`;
    const head = starts.has(i) ? html`<li class="turn">turn ${(turn += 1)}</li>` : '';
    return html`${head}${eventItem(e.event, at)}${dropped > 0 && i === 0 ? html`<li class="turn">${dropped} events after the start were dropped to keep the store small</li>` : ''}`;
  });
  return html`<ol class="timeline">${items}</ol>`;
}
