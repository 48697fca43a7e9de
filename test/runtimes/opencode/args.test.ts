import { describe, expect, it } from 'vitest';
import { buildOpenCodeArgs, OPENCODE_QUIET_ENV } from '../../../src/runner/opencode/args.js';
import { mergeConfigContent } from '../../../src/runner/opencode/index.js';
import { isDispatchError } from '../../../src/shared/errors.js';
import type { ResolvedAgent, RunRequest } from '../../../src/shared/types.js';

const SES = 'ses_dec8edd74ffekJz2BKS1E526Mg';
const agent: ResolvedAgent = { name: 'oc', directory: '/p', description: '', runtime: 'opencode', timeout: 300 };

function build(agentPatch: Partial<ResolvedAgent> = {}, requestPatch: Partial<RunRequest> = {}, prompt = 'do "it" now') {
  return buildOpenCodeArgs({ agent: { ...agent, ...agentPatch }, task: prompt, ...requestPatch }, { prompt, newSessionId: '11111111-2222-4333-8444-555555555555' });
}

describe('buildOpenCodeArgs', () => {
  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, string[]]>([
    ['a fresh run', {}, {}, []],
    ['a resume', {}, { resumeSessionId: SES }, ['--session', SES]],
    ['a fork', {}, { resumeSessionId: SES, forkSession: true }, ['--session', SES, '--fork']],
    ['the model', { model: 'anthropic/claude-sonnet-4-5' }, {}, ['--model', 'anthropic/claude-sonnet-4-5']],
    ['bypassPermissions as --auto', { permissionMode: 'bypassPermissions' }, {}, ['--auto']],
  ])('passes %s', (_title, agentPatch, requestPatch, tail) => {
    const { invocation } = build(agentPatch, requestPatch);
    expect(invocation.args).toEqual(['run', '--format', 'json', ...tail]);
  });

  it('sends the prompt verbatim on stdin, never in argv (OpenCode re-quotes message arguments)', () => {
    const { invocation } = build();
    expect(invocation.stdin).toBe('do "it" now');
    expect(invocation.args.join(' ')).not.toContain('do "it"');
    expect(invocation.env).toEqual(OPENCODE_QUIET_ENV);
  });

  it.each<[string, Partial<ResolvedAgent>, unknown]>([
    ['no permission mode: OpenCode\'s own defaults', {}, undefined],
    ['default: no edits, no bash', { permissionMode: 'default' }, { edit: 'deny', bash: 'deny', webfetch: 'deny' }],
    ['acceptEdits: edits only', { permissionMode: 'acceptEdits' }, { edit: 'allow', bash: 'deny', webfetch: 'deny' }],
    ['bypassPermissions: everything', { permissionMode: 'bypassPermissions' }, { edit: 'allow', bash: 'allow', webfetch: 'allow' }],
  ])('maps %s', (_title, agentPatch, permission) => {
    expect(build(agentPatch).config).toEqual({ autoupdate: false, share: 'disabled', ...(permission ? { permission } : {}) });
  });

  it.each<[string, Partial<ResolvedAgent>, Partial<RunRequest>, RegExp]>([
    ['a model without a provider', { model: 'gpt-5' }, {}, /provider\/model/],
    ['a UUID as the session to resume', {}, { resumeSessionId: '11111111-2222-4333-8444-555555555555' }, /not an OpenCode session id/],
    ['a chosen id for a new session', {}, { sessionId: '11111111-2222-4333-8444-555555555555' }, /chooses the id/],
  ])('rejects %s', (_title, agentPatch, requestPatch, message) => {
    let error: unknown;
    try {
      build(agentPatch, requestPatch);
    } catch (e) {
      error = e;
    }
    expect(isDispatchError(error) && message.test(error.message)).toBe(true);
  });
});

describe('mergeConfigContent', () => {
  it.each<[string, string | undefined, Record<string, unknown>, Record<string, unknown>]>([
    ['no existing content', undefined, { share: 'disabled' }, { share: 'disabled' }],
    ['the agent\'s own content, ours winning per permission key', '{"model":"a/b","permission":{"bash":"allow","read":"allow"}}', { permission: { bash: 'deny' } }, { model: 'a/b', permission: { bash: 'deny', read: 'allow' } }],
    ['content that is not JSON', 'not json', { share: 'disabled' }, { share: 'disabled' }],
  ])('merges with %s', (_title, existing, overlay, expected) => {
    expect(JSON.parse(mergeConfigContent(existing, overlay))).toEqual(expected);
  });
});
