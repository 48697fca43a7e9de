// --help of init, doctor and test shows examples (in-process, fake sinks).
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

async function help(command: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli([command, '--help'], { env: { HOME: '/nonexistent' }, cwd: '/', stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => undefined } });
  return { code, stdout };
}

describe('--help', () => {
  it.each([
    ['init', 'agent-dispatch init --print'],
    ['doctor', 'agent-dispatch doctor --offline'],
    ['test', 'agent-dispatch test backend "Which tests are failing?" --stream'],
  ])('of %s shows examples', async (command, example) => {
    const { code, stdout } = await help(command);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain(example);
  });
});
