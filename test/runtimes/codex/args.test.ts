import { describe, expect, it } from 'vitest';
import { buildCodexArgs, MAX_ARG_PROMPT_BYTES } from '../../../src/runner/codex/args.js';
import { isDispatchError } from '../../../src/shared/errors.js';
import type { ResolvedAgent, RunRequest } from '../../../src/shared/types.js';

const ID = '01a2136f-f8a7-7183-8be1-774452e27945';
const QUIET = ['--json', '--skip-git-repo-check', '-c', 'check_for_update_on_startup=false', '-c', 'analytics.enabled=false'];
const agent: ResolvedAgent = { name: 'cx', directory: '/p', description: '', runtime: 'codex', timeout: 300 };

function build(agentPatch: Partial<ResolvedAgent> = {}, requestPatch: Partial<RunRequest> = {}, prompt = 'do it', schemaFile?: string) {
  return buildCodexArgs({ agent: { ...agent, ...agentPatch }, task: prompt, ...requestPatch }, { prompt, newSessionId: '11111111-2222-4333-8444-555555555555' }, schemaFile);
}

describe('buildCodexArgs', () => {
  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, string[]]>([
    ['a fresh run', {}, {}, ['exec', ...QUIET]],
    ['a resume', {}, { resumeSessionId: ID }, ['exec', 'resume', ID, ...QUIET]],
    ['a fork', {}, { resumeSessionId: ID, forkSession: true }, ['exec', 'fork', ID, ...QUIET]],
    ['the model', { model: 'gpt-5' }, {}, ['exec', ...QUIET, '-m', 'gpt-5']],
    ['default as the read-only sandbox', { permissionMode: 'default' }, {}, ['exec', ...QUIET, '-c', 'sandbox_mode="read-only"']],
    ['plan as the read-only sandbox', { permissionMode: 'plan' }, {}, ['exec', ...QUIET, '-c', 'sandbox_mode="read-only"']],
    ['acceptEdits as workspace-write', { permissionMode: 'acceptEdits' }, {}, ['exec', ...QUIET, '-c', 'sandbox_mode="workspace-write"']],
    ['auto as workspace-write', { permissionMode: 'auto' }, {}, ['exec', ...QUIET, '-c', 'sandbox_mode="workspace-write"']],
    ['bypassPermissions as no sandbox', { permissionMode: 'bypassPermissions' }, {}, ['exec', ...QUIET, '-c', 'sandbox_mode="danger-full-access"']],
    ['the sandbox on a resume too', { permissionMode: 'acceptEdits' }, { resumeSessionId: ID }, ['exec', 'resume', ID, ...QUIET, '-c', 'sandbox_mode="workspace-write"']],
  ])('passes %s', (_title, agentPatch, requestPatch, head) => {
    const invocation = build(agentPatch, requestPatch);
    expect(invocation.args).toEqual([...head, '--', 'do it']);
    expect(invocation.env).toEqual({});
  });

  it('reports the resumed id as the session id, and none for a new or forked session (Codex assigns it)', () => {
    expect(build({}, { resumeSessionId: ID }).sessionId).toBe(ID);
    expect(build().sessionId).toBeUndefined();
    expect(build({}, { resumeSessionId: ID, forkSession: true }).sessionId).toBeUndefined();
  });

  it('passes the JSON Schema file', () => {
    expect(build({}, { jsonSchema: { type: 'object' } }, 'do it', '/tmp/x/schema.json').args).toEqual(['exec', ...QUIET, '--output-schema', '/tmp/x/schema.json', '--', 'do it']);
  });

  it.each([['-starts with a dash'], ['multi\nline "quoted" $(whoami) `id`'], ['ünïcödé 🚀']])('puts the prompt %j after -- unchanged', (prompt) => {
    expect(build({}, {}, prompt).args.slice(-2)).toEqual(['--', prompt]);
  });

  it('sends a prompt too large for one argument through stdin, named by "-"', () => {
    const prompt = 'x'.repeat(MAX_ARG_PROMPT_BYTES + 1);
    const invocation = build({}, {}, prompt);
    expect(invocation.args.at(-1)).toBe('-');
    expect(invocation.stdin).toBe(prompt);
  });

  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, RegExp]>([
    ['a chosen id for a new session', {}, { sessionId: ID }, /chooses the id/],
    ['a fork without a session', {}, { forkSession: true }, /needs the session/],
    ['a thread name instead of a UUID (Codex would start a new thread)', {}, { resumeSessionId: 'my-thread' }, /not a UUID/],
    ['a different id on a resume', {}, { resumeSessionId: ID, sessionId: '11111111-2222-4333-8444-555555555555' }, /keeps its id/],
    ['a model that reads as a flag', { model: '--dangerously-bypass-approvals-and-sandbox' }, {}, /starts with "-"/],
  ])('rejects %s', (_title, agentPatch, requestPatch, message) => {
    let error: unknown;
    try {
      build(agentPatch, requestPatch);
    } catch (e) {
      error = e;
    }
    expect(isDispatchError(error) && error.code === 'INVALID_INPUT' && message.test(error.message)).toBe(true);
  });
});
