import { describe, expect, it } from 'vitest';
import { buildClaudeArgs } from '../../../src/runner/claude/args.js';
import { approvalsProblem } from '../../../src/runner/approvals.js';
import type { ResolvedAgent } from '../../../src/shared/types.js';

const agent: ResolvedAgent = { name: 'infra', directory: '/p', description: '', runtime: 'claude', timeout: 300 };
const relay = { command: '/usr/bin/node', args: ['/opt/ad/bin/agent-dispatch.js', '__approval-relay'], env: { AGENT_DISPATCH_APPROVAL_SOCKET: '/s/x.sock', AGENT_DISPATCH_APPROVAL_SECRET: 'c0ffee' } };

describe('approvals "ask" on the Claude Code command line', () => {
  it('names the relay tool and adds its server next to the project\'s own, with the secret only in the environment', () => {
    const inv = buildClaudeArgs({ agent, task: 'go' }, { prompt: 'go', newSessionId: '11111111-2222-4333-8444-555555555555', approvals: relay });
    const at = inv.args.indexOf('--permission-prompt-tool');
    expect(inv.args[at + 1]).toBe('mcp__agent-dispatch-approvals__decide');
    const config = JSON.parse(inv.args[inv.args.indexOf('--mcp-config') + 1]!) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers).toEqual({ 'agent-dispatch-approvals': { type: 'stdio', command: relay.command, args: relay.args } });
    expect(inv.args).not.toContain('--strict-mcp-config');
    expect(inv.args.join(' ')).not.toContain('c0ffee');
    expect(inv.env).toEqual(relay.env);
    expect(inv.args.slice(-2)).toEqual(['--', 'go']);
  });

  it('names the forwarded HTTP endpoint for a run on an SSH host, its token only as ${VAR} for the CLI to expand', () => {
    const remoteRelay = { ...relay, env: { AGENT_DISPATCH_APPROVAL_TOKEN: 'feedface' }, url: 'http://127.0.0.1:41234/mcp' };
    const inv = buildClaudeArgs({ agent: { ...agent, host: 'box' }, task: 'go' }, { prompt: 'go', newSessionId: '11111111-2222-4333-8444-555555555555', approvals: remoteRelay, remote: true });
    const config = JSON.parse(inv.args[inv.args.indexOf('--mcp-config') + 1]!) as { mcpServers: Record<string, unknown> };
    expect(config.mcpServers).toEqual({
      'agent-dispatch-approvals': { type: 'http', url: 'http://127.0.0.1:41234/mcp', headers: { Authorization: 'Bearer ${AGENT_DISPATCH_APPROVAL_TOKEN}' } },
    });
    expect(inv.args.join(' ')).not.toContain('feedface');
    expect(inv.env).toEqual({ AGENT_DISPATCH_APPROVAL_TOKEN: 'feedface' });
  });

  it('adds nothing without approvals', () => {
    const inv = buildClaudeArgs({ agent, task: 'go' }, { prompt: 'go', newSessionId: '11111111-2222-4333-8444-555555555555' });
    expect(inv.args).not.toContain('--permission-prompt-tool');
    expect(inv.env).toEqual({});
  });
});

describe('approvalsProblem', () => {
  it.each([
    [{ name: 'a', runtime: 'claude' as const }, undefined],
    [{ name: 'a', runtime: 'codex' as const }, /runtime codex has no headless way/],
    [{ name: 'a', runtime: 'gemini' as const }, /runtime gemini/],
    [{ name: 'a', runtime: 'opencode' as const }, /runtime opencode/],
    [{ name: 'a', runtime: 'claude' as const, host: 'box' }, undefined],
    [{ name: 'a', runtime: 'codex' as const, host: 'box' }, /runtime codex/],
  ])('answers for %j', (target, expected) => {
    const problem = approvalsProblem(target);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
