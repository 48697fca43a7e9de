import { describe, expect, it } from 'vitest';
import { buildClaudeArgs, MAX_ARG_PROMPT_BYTES } from '../../../src/runner/claude/args.js';
import type { ResolvedAgent, RunRequest } from '../../../src/shared/types.js';

const NEW_ID = '11111111-2222-4333-8444-555555555555';
const OLD_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const BASE = ['-p', '--output-format', 'stream-json', '--verbose'];
const agent: ResolvedAgent = { name: 'infra', directory: '/p', description: '', runtime: 'claude', timeout: 300 };

function build(agentPatch: Partial<ResolvedAgent> = {}, requestPatch: Partial<RunRequest> = {}, prompt = 'do it') {
  return buildClaudeArgs({ agent: { ...agent, ...agentPatch }, task: prompt, ...requestPatch }, { prompt, newSessionId: NEW_ID });
}

describe('buildClaudeArgs', () => {
  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, string[]]>([
    ['a fresh run with a pre-assigned session id', {}, {}, ['--session-id', NEW_ID]],
    ['a caller-chosen session id', {}, { sessionId: OLD_ID }, ['--session-id', OLD_ID]],
    ['a resume', {}, { resumeSessionId: OLD_ID }, ['--resume', OLD_ID]],
    ['a resume with the same id repeated', {}, { resumeSessionId: OLD_ID, sessionId: OLD_ID }, ['--resume', OLD_ID]],
    ['a fork', {}, { resumeSessionId: OLD_ID, forkSession: true }, ['--resume', OLD_ID, '--fork-session', '--session-id', NEW_ID]],
    ['the model', { model: 'sonnet' }, {}, ['--session-id', NEW_ID, '--model', 'sonnet']],
    ['the permission mode', { permissionMode: 'acceptEdits' }, {}, ['--session-id', NEW_ID, '--permission-mode', 'acceptEdits']],
    ['allowed tools, one argument each', { allowedTools: ['Bash(npm run test:*)', ' Read '] }, {}, ['--session-id', NEW_ID, '--allowedTools', 'Bash(npm run test:*)', 'Read']],
    ['an empty allowed list as no flag', { allowedTools: [] }, {}, ['--session-id', NEW_ID]],
    ['disallowed tools', { disallowedTools: ['Write'] }, {}, ['--session-id', NEW_ID, '--disallowedTools', 'Write']],
    ['a budget', { maxBudgetUsd: 0.25 }, {}, ['--session-id', NEW_ID, '--max-budget-usd', '0.25']],
    ['a zero budget as no cap', { maxBudgetUsd: 0 }, {}, ['--session-id', NEW_ID]],
    ['a turn limit', { maxTurns: 3 }, {}, ['--session-id', NEW_ID, '--max-turns', '3']],
    ['a JSON Schema', {}, { jsonSchema: { type: 'object' } }, ['--session-id', NEW_ID, '--json-schema', '{"type":"object"}']],
  ])('passes %s', (_title, agentPatch, requestPatch, middle) => {
    expect(build(agentPatch, requestPatch).args).toEqual([...BASE, ...middle, '--', 'do it']);
  });

  it.each([
    ['-starts with a dash'],
    ['--help'],
    ['multi\nline "quoted" \'single\' $(whoami) `id` \\ end'],
    ['ünïcödé 🚀'],
  ])('puts the prompt %j after -- unchanged', (prompt) => {
    const { args, stdin } = build({}, {}, prompt);
    expect(args.slice(-2)).toEqual(['--', prompt]);
    expect(stdin).toBeUndefined();
  });

  it('sends a prompt too large for one argument through stdin instead', () => {
    const prompt = 'x'.repeat(MAX_ARG_PROMPT_BYTES + 1);
    const { args, stdin } = build({}, {}, prompt);
    expect(args).not.toContain('--');
    expect(args).not.toContain(prompt);
    expect(stdin).toBe(prompt);
  });

  it('counts the argument limit in bytes', () => {
    const prompt = 'é'.repeat(MAX_ARG_PROMPT_BYTES / 2 + 1);
    expect(build({}, {}, prompt).stdin).toBe(prompt);
  });

  it.each([
    ['a fresh run', {}, NEW_ID],
    ['a resume', { resumeSessionId: OLD_ID }, OLD_ID],
    ['a fork', { resumeSessionId: OLD_ID, forkSession: true }, NEW_ID],
  ])('reports the session id of %s before the run starts', (_title, requestPatch, expected) => {
    expect(build({}, requestPatch).sessionId).toBe(expected);
  });

  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, string, RegExp]>([
    ['a model flag', { model: '--dangerously-skip-permissions' }, {}, 'do it', /model.*starts with "-"/],
    ['an empty model', { model: ' ' }, {}, 'do it', /model is empty/],
    ['a tool flag', { allowedTools: ['Read', '-x'] }, {}, 'do it', /allowed tool.*starts with "-"/],
    ['a disallowed tool flag', { disallowedTools: ['--foo'] }, {}, 'do it', /disallowed tool/],
    ['an unknown permission mode', { permissionMode: '--yolo' as never }, {}, 'do it', /Unknown permission mode/],
    ['a session id that is a flag', {}, { sessionId: '--resume' }, 'do it', /not a UUID/],
    ['a resume id that is not a UUID', {}, { resumeSessionId: 'my title' }, 'do it', /not a UUID/],
    ['a fork without a session', {}, { forkSession: true }, 'do it', /fork/],
    ['a new id on a plain resume', {}, { resumeSessionId: OLD_ID, sessionId: NEW_ID }, 'do it', /fork_session/],
    ['a NUL byte in the prompt', {}, {}, 'a\0b', /NUL byte/],
    ['a NaN budget', { maxBudgetUsd: Number.NaN }, {}, 'do it', /max_budget_usd/],
    ['a fractional turn limit', { maxTurns: 1.5 }, {}, 'do it', /max_turns/],
    ['a schema that is not an object', {}, { jsonSchema: [] as never }, 'do it', /JSON Schema must be/],
  ])('rejects %s', (_title, agentPatch, requestPatch, prompt, message) => {
    expect(() => build(agentPatch, requestPatch, prompt)).toThrow(message);
  });
});
