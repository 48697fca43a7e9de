// Turns a caller's DispatchRequest into the runner's RunRequest: resolves the agent, folds in the group's
// shared_context, reads response_format, and builds the prompt. Throws DispatchError for anything a caller must fix.
import type { Config } from '../config/schema.js';
import { assertGroupMember, groupSharedContext, resolveAgent } from '../config/resolve.js';
import { approvalsProblem, buildPrompt } from '../runner/index.js';
import { DispatchError } from '../shared/errors.js';
import type { RunRequest } from '../shared/types.js';
import type { DispatchRequest } from './types.js';

/** A schema that accepts any JSON object: `response_format: "json"`. */
export const ANY_OBJECT_SCHEMA = { type: 'object', additionalProperties: true } as const;

// Build the run request for the current config.
export function prepareRun(config: Config, request: DispatchRequest): RunRequest {
  const agent = resolveAgent(config, request.agent);
  let context = request.context;
  if (request.group) {
    assertGroupMember(config, request.group, agent.name);
    const shared = groupSharedContext(config, request.group);
    if (shared) context = context ? `${shared.trim()}\n\n${context}` : shared.trim();
  }
  const run: RunRequest = { agent, task: request.task };
  if (request.goal) run.goal = request.goal;
  if (request.caller) run.caller = request.caller;
  if (context) run.context = context;
  if (request.timeoutSeconds) run.timeoutSeconds = request.timeoutSeconds;
  if (request.sessionId) run.resumeSessionId = request.sessionId;
  if (request.isolation) run.isolation = request.isolation;
  if (request.baseRef) run.baseRef = request.baseRef;
  if (request.approvals) run.approvals = request.approvals;
  // Refused before a job is stored: the runtime or the host cannot relay a permission request.
  const problem = (run.approvals ?? agent.approvals) === 'ask' ? approvalsProblem(agent) : undefined;
  if (problem) throw new DispatchError('INVALID_INPUT', problem, { hint: 'Dispatch with approvals "deny", or grant the tools it needs in allowed_tools.' });
  const schema = parseResponseFormat(request.responseFormat);
  if (schema) run.jsonSchema = schema;
  // Built once: stored with the job and sent to the agent as is.
  run.prompt = buildPrompt(run);
  return run;
}

// "" or "text": free text; "json": any JSON object in parsed_result; a JSON Schema object: output that matches it.
export function parseResponseFormat(format: string | undefined): Record<string, unknown> | undefined {
  const value = (format ?? '').trim();
  if (value === '' || value === 'text') return undefined;
  if (value === 'json') return { ...ANY_OBJECT_SCHEMA };
  if (value.startsWith('{')) {
    let schema: unknown;
    try {
      schema = JSON.parse(value);
    } catch (error) {
      throw new DispatchError('INVALID_INPUT', `response_format looks like a JSON Schema but is not valid JSON (${(error as Error).message}).`);
    }
    if (schema && typeof schema === 'object' && !Array.isArray(schema)) return schema as Record<string, unknown>;
  }
  throw new DispatchError('INVALID_INPUT', `response_format must be "", "json", or a JSON Schema object; got ${JSON.stringify(value.slice(0, 40))}.`);
}

// Whether the agent's permission requests are relayed (the request's approvals, else the agent's).
export function asksApproval(run: RunRequest): boolean {
  return (run.approvals ?? run.agent.approvals) === 'ask';
}

// Whether the run goes to a fresh git worktree (the request's isolation, else the agent's).
export function isolated(run: RunRequest): boolean {
  return (run.isolation ?? run.agent.isolation) === 'worktree';
}
