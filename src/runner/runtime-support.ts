// Pieces the Codex, Gemini and OpenCode adapters share: pricing from a per-model table, the failure classes
// every runtime maps to, and small text helpers. Pure; no process, file or config access.
import type { TokenUsage } from '../shared/types.js';
import type { RunFailure } from './adapter.js';

/** USD per million tokens for one model (the shape of `settings.prices.<model>`). */
export interface ModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
  /** Cache reads; default: the input price. */
  cached_input_per_mtok?: number;
  /** Cache writes; default: the input price. */
  cache_write_per_mtok?: number;
}

/** Prices by model name (`gpt-5`, `gemini-2.5-pro`, or `provider/model` for OpenCode). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Cost in USD of some tokens on a model; undefined when the model has no price. */
export type Pricer = (model: string | undefined, usage: TokenUsage) => number | undefined;

// Looks a model up: the exact name, then without a `provider/` prefix, then the longest listed name the
// model starts with followed by "-" (dated snapshots such as `gpt-5-2025-08-07` use their family's price).
export function findPrice(table: PriceTable, model: string | undefined): ModelPrice | undefined {
  if (!model) return undefined;
  const names = [model, model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : undefined].filter((n): n is string => !!n);
  for (const name of names) if (Object.hasOwn(table, name)) return table[name];
  let best: string | undefined;
  for (const name of names) {
    for (const key of Object.keys(table)) {
      if (name.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
    }
  }
  return best === undefined ? undefined : table[best];
}

// A pricer over a table.
export function createPricer(table: PriceTable): Pricer {
  return (model, usage) => {
    const price = findPrice(table, model);
    if (!price) return undefined;
    const perMillion =
      usage.inputTokens * price.input_per_mtok +
      usage.cacheReadInputTokens * (price.cached_input_per_mtok ?? price.input_per_mtok) +
      usage.cacheCreationInputTokens * (price.cache_write_per_mtok ?? price.input_per_mtok) +
      usage.outputTokens * price.output_per_mtok;
    return perMillion / 1_000_000;
  };
}

// Adds two token counts.
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
  };
}

// A finite non-negative number, else 0 (CLI output is untrusted).
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

// The value as a plain object, or undefined.
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** What failure messages name. */
export interface FailureNames {
  agent: string;
  /** Display name of the CLI, e.g. "Codex". */
  cli: string;
  sessionId?: string;
  timeoutSeconds: number;
}

// The hint sentence that offers resuming a partial session.
export function resumeText(names: FailureNames): string {
  return names.sessionId ? ` The partial session can be resumed with session_id "${names.sessionId}".` : '';
}

// The run passed its time limit.
export function timeoutFailure(names: FailureNames): RunFailure {
  return {
    type: 'timeout',
    message: `Agent ${names.agent} did not finish within ${names.timeoutSeconds}s and was stopped.`,
    hint: names.sessionId
      ? `Resume the partial work with session_id "${names.sessionId}", or retry with a larger timeout_seconds (up to 7200), or use dispatch_async.`
      : 'Retry with a larger timeout_seconds (up to 7200), or use dispatch_async.',
  };
}

// The caller cancelled the run.
export function cancelledFailure(names: FailureNames): RunFailure {
  return {
    type: 'cancelled',
    message: `The run of agent ${names.agent} was cancelled.`,
    ...(names.sessionId ? { hint: `The partial session can be resumed with session_id "${names.sessionId}".` } : {}),
  };
}

// The running cost passed max_budget_usd, so the run was stopped (or, for CLIs that report cost only at the end, flagged).
export function budgetFailure(names: FailureNames, costUsd: number, cap: number, stopped: boolean): RunFailure {
  const spent = `$${costUsd.toFixed(4)}`;
  return {
    type: 'budget',
    message: stopped
      ? `Agent ${names.agent} passed its budget cap of $${cap} (spent ${spent}) and was stopped; the answer is incomplete.`
      : `Agent ${names.agent} spent ${spent}, over its budget cap of $${cap}; ${names.cli} reports cost only at the end, so the run could not be stopped earlier.`,
    hint: `Raise the cap (\`agent-dispatch update ${names.agent} --max-budget-usd 2\`), use a cheaper model, or split the task.${resumeText(names)}`,
  };
}

/** Where an API failure came from, for the hint. */
export interface ApiFailureInput {
  status?: number;
  detail: string;
  /** What to check for credentials, e.g. "OPENAI_API_KEY or `codex login`". */
  authHint: string;
}

// An HTTP status from the model API → a shared failure class; undefined for statuses that are not API errors.
export function apiFailure(names: FailureNames, input: ApiFailureInput): RunFailure | undefined {
  const { status, detail } = input;
  if (status === 401 || status === 403) {
    return { type: 'auth', message: `Agent ${names.agent} could not authenticate with the model API (${status}): ${detail}`, hint: `Check the credentials ${names.cli} gets: ${input.authHint}.` };
  }
  if (status === 429) {
    return { type: 'rate_limit', message: `The model API rate-limited agent ${names.agent}: ${detail}`, hint: `Wait a minute and retry, or run fewer dispatches at once.${resumeText(names)}` };
  }
  if (status === 529 || status === 503) {
    return { type: 'overloaded', message: `The model API is overloaded (${status}): ${detail}`, hint: `Usually temporary: retry in a moment.${resumeText(names)}` };
  }
  if (status !== undefined && status >= 400) {
    return {
      type: 'cli_error',
      message: `Agent ${names.agent} hit a model API error (${status}): ${detail}`,
      hint: status === 404 ? `Check the model name and the API base URL ${names.cli} is configured with.` : 'Retry later; if it persists, check the API base URL and proxies.',
    };
  }
  return undefined;
}

// A CLI failure without a better class.
export function cliFailure(what: string, stderr: string, hint: string): RunFailure {
  const line = lastLine(stderr);
  return { type: 'cli_error', message: line ? `${what}: ${line}` : `${what}.`, hint };
}

// The last meaningful stderr line, short enough for a message (stack frames and known noise skipped).
export function lastLine(stderr: string, noise: RegExp[] = []): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at\s/.test(l) && !noise.some((re) => re.test(l)));
  const line = lines[lines.length - 1] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

// The instruction added to the prompt for runtimes without a structured-output option.
export function schemaInstruction(schema: Record<string, unknown>): string {
  return `\n\n## Output format\nReply with only one JSON object, no prose and no code fence, that matches this JSON Schema:\n${JSON.stringify(schema)}`;
}

// Parses the final answer as a JSON object (tolerating a code fence); undefined when it is not one.
export function parseJsonAnswer(text: string): unknown {
  const body = text.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/, '$1').trim();
  if (!body.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return asRecord(value);
  } catch {
    return undefined;
  }
}
