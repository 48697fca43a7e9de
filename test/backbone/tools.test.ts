// Scripted tool calls run in the agent's directory when the permission mode allows them, and are refused and
// reported in permission_denials when it does not.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, toolUse, turn } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';

let bb: Backbone;
beforeAll(async () => {
  bb = await createBackbone();
});
afterAll(() => bb.cleanup());

describe('tool calls scripted by the stand-in model', () => {
  it('runs Bash in the agent directory under acceptEdits and hands its output back to the model', async () => {
    const dir = bb.project('bash-agent', { claudeMd: 'bash agent' });
    bb.model.setRules([
      { match: 'run bash', reply: [toolUse('Bash', { command: 'pwd && touch made_by_bash.txt && echo BASH_OK', description: 'probe' }), (ctx) => text(`bash said: ${ctx.lastToolResult}`)] },
    ]);
    const run = await bb.claude(['-p', 'run bash', '--output-format', 'json', '--permission-mode', 'acceptEdits'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ is_error: false, num_turns: 2, permission_denials: [], result: `bash said: ${dir}\nBASH_OK` });
    expect(existsSync(join(dir, 'made_by_bash.txt'))).toBe(true);
    expect(bb.model.lastRequest?.toolResults).toEqual([expect.objectContaining({ content: `${dir}\nBASH_OK`, isError: false })]);
  });

  it('writes a file with Write under bypassPermissions (IS_SANDBOX=1, since tests run as root)', async () => {
    const dir = bb.project('write-agent');
    const target = join(dir, 'notes', 'out.txt');
    bb.model.setRules([{ match: 'write it', reply: [toolUse('Write', { file_path: target, content: 'WRITTEN_BY_AGENT\n' }), text('done')] }]);
    const run = await bb.claude(['-p', 'write it', '--output-format', 'json', '--permission-mode', 'bypassPermissions'], { cwd: dir, isSandbox: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ is_error: false, result: 'done', permission_denials: [] });
    expect(readFileSync(target, 'utf8')).toBe('WRITTEN_BY_AGENT\n');
  });

  it('refuses Bash and Write under dontAsk, lists both in permission_denials, and still succeeds', async () => {
    const dir = bb.project('denied-agent');
    const target = join(dir, 'denied.txt');
    bb.model.setRules([
      {
        match: 'try both',
        reply: [turn([{ name: 'Bash', input: { command: 'touch bash_was_here.txt' } }, { name: 'Write', input: { file_path: target, content: 'no' } }]), text('gave up')],
      },
    ]);
    const run = await bb.claude(['-p', 'try both', '--output-format', 'json', '--permission-mode', 'dontAsk'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const result = run.json();
    expect(result).toMatchObject({ subtype: 'success', is_error: false, result: 'gave up' });
    expect(result.permission_denials.map((d: any) => d.tool_name).sort()).toEqual(['Bash', 'Write']);
    expect(result.permission_denials.find((d: any) => d.tool_name === 'Write').tool_input).toMatchObject({ file_path: target });
    expect(existsSync(target) || existsSync(join(dir, 'bash_was_here.txt'))).toBe(false);
    expect(bb.model.lastRequest?.toolResults.map((r) => r.isError)).toEqual([true, true]);
  });
});
