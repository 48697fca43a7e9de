// The runner refuses approvals "ask" for a runtime with no way to hand a request over, before it spawns anything
// or opens a forward to an SSH host (callers check too; the runner does not rely on them).
import { afterAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src/runner/index.js';
import type { ApprovalRelay } from '../../src/shared/types.js';
import { agentIn, tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());
const relay: ApprovalRelay = { command: 'agent-dispatch', args: ['__approval-relay'], env: {} };
// A CLI that does not exist: spawning it would fail as not_found, not as invalid input.
const runner = createRunner({ env: process.env, binaries: { codex: '/nonexistent/codex' } });

describe('approvals "ask" on a runtime without a hook', () => {
  it.each([
    ['here', {}],
    ['on an SSH host (no forward is opened: the host does not exist)', { host: 'no-such-host.invalid' }],
  ])('is refused as invalid input %s', async (_where, patch) => {
    const result = await runner.run({ agent: agentIn(temp.dir, { runtime: 'codex', ...patch }), task: 'x' }, { approvalRelay: relay });
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('cli_error');
    expect(result.error?.message).toMatch(/runtime codex has no headless way/);
  });
});
