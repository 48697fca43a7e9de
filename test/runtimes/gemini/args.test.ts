import { describe, expect, it } from 'vitest';
import { buildGeminiArgs, MAX_ARG_PROMPT_BYTES } from '../../../src/runner/gemini/args.js';
import { isDispatchError } from '../../../src/shared/errors.js';
import type { ResolvedAgent, RunRequest } from '../../../src/shared/types.js';

const NEW_ID = '11111111-2222-4333-8444-555555555555';
const OLD_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const BASE = ['--output-format', 'stream-json', '--skip-trust'];
const agent: ResolvedAgent = { name: 'gm', directory: '/p', description: '', runtime: 'gemini', timeout: 300 };

function build(agentPatch: Partial<ResolvedAgent> = {}, requestPatch: Partial<RunRequest> = {}, prompt = 'do it') {
  return buildGeminiArgs({ agent: { ...agent, ...agentPatch }, task: prompt, ...requestPatch }, { prompt, newSessionId: NEW_ID });
}

describe('buildGeminiArgs', () => {
  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, string[]]>([
    ['a fresh run with a pre-assigned session id', {}, {}, ['--session-id', NEW_ID]],
    ['a caller-chosen session id', {}, { sessionId: OLD_ID }, ['--session-id', OLD_ID]],
    ['a resume', {}, { resumeSessionId: OLD_ID }, ['--resume', OLD_ID]],
    ['the model (skips the routing call)', { model: 'gemini-2.5-pro' }, {}, ['--session-id', NEW_ID, '--model', 'gemini-2.5-pro']],
    ['default as the default approval mode', { permissionMode: 'default' }, {}, ['--session-id', NEW_ID, '--approval-mode', 'default']],
    ['plan as plan', { permissionMode: 'plan' }, {}, ['--session-id', NEW_ID, '--approval-mode', 'plan']],
    ['acceptEdits as auto_edit', { permissionMode: 'acceptEdits' }, {}, ['--session-id', NEW_ID, '--approval-mode', 'auto_edit']],
    ['bypassPermissions as yolo', { permissionMode: 'bypassPermissions' }, {}, ['--session-id', NEW_ID, '--approval-mode', 'yolo']],
  ])('passes %s', (_title, agentPatch, requestPatch, middle) => {
    expect(build(agentPatch, requestPatch).args).toEqual([...BASE, ...middle, '--prompt=do it']);
  });

  it.each([['-starts with a dash'], ['--yolo'], ['multi\nline "quoted" $(whoami)']])('keeps the prompt %j in one --prompt= argument', (prompt) => {
    expect(build({}, {}, prompt).args.at(-1)).toBe(`--prompt=${prompt}`);
  });

  it('sends a large prompt through stdin with no -p (Gemini then reads stdin as the prompt)', () => {
    const prompt = 'x'.repeat(MAX_ARG_PROMPT_BYTES + 1);
    const invocation = build({}, {}, prompt);
    expect(invocation.args.some((a) => a.startsWith('--prompt'))).toBe(false);
    expect(invocation.stdin).toBe(prompt);
  });

  it('asks for JSON in the prompt when a schema is requested (Gemini has no schema option)', () => {
    const last = build({}, { jsonSchema: { type: 'object', required: ['a'] } }).args.at(-1)!;
    expect(last).toMatch(/^--prompt=do it\n\n## Output format\n/);
    expect(last).toContain('{"type":"object","required":["a"]}');
  });

  it.each<[string, Partial<RunRequest>, RegExp]>([
    ['a fork', { resumeSessionId: OLD_ID, forkSession: true }, /cannot fork/],
    ['"latest" instead of an id', { resumeSessionId: 'latest' }, /not a UUID/],
    ['a different id on a resume', { resumeSessionId: OLD_ID, sessionId: NEW_ID }, /keeps its id/],
  ])('rejects %s', (_title, requestPatch, message) => {
    let error: unknown;
    try {
      build({}, requestPatch);
    } catch (e) {
      error = e;
    }
    expect(isDispatchError(error) && message.test(error.message)).toBe(true);
  });
});
