// `agent-dispatch test --stream` in a real pseudo-terminal (tmux): the screen shows the tool call and the spinner
// while the agent works, then the answer; colour on a terminal unless NO_COLOR. Skipped when tmux is missing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text, toolUse } from '../support/fake-anthropic.js';
import { createBackbone, type Backbone } from '../support/harness.js';
import { AGENT_DISPATCH_BIN, assertBuilt, setupProduct, type ProductSetup } from '../support/product.js';
import { createTerminal, TMUX_BIN } from '../support/terminal.js';

const term = createTerminal('tty');
let bb: Backbone;
let setup: ProductSetup;

// Start `agent-dispatch test alpha --stream` in a detached 100x30 tmux session; the shell reports the exit code.
function startInTerminal(session: string, extraEnv: Record<string, string> = {}): void {
  const env = { ...(setup.env as Record<string, string>), TERM: 'xterm-256color', ...extraEnv };
  term.start(session, { script: join(bb.sandbox.root, `${session}.sh`), cwd: bb.sandbox.root, env, argv: [process.execPath, AGENT_DISPATCH_BIN, 'test', 'alpha', '--stream'], stdin: '/dev/null' });
}

const screen = term.screen;
const waitForScreen = term.waitFor;

describe.skipIf(TMUX_BIN === undefined)('agent-dispatch test on a terminal (tmux)', () => {
  beforeAll(async () => {
    assertBuilt();
    bb = await createBackbone({
      // The answer waits 1.5 s after the tool call, so the screen can be read while the agent is still working.
      rules: [{ match: 'What project', reply: [toolUse('Bash', { command: 'ls' }), text('This is the alpha service.', { delayMs: 1500 })] }],
    });
    setup = setupProduct(bb, { agents: { alpha: { directory: bb.project('alpha', { claudeMd: 'Alpha.' }) } } });
  });

  afterAll(async () => {
    term.close();
    await bb?.cleanup();
  });

  it('shows the tool call and a spinner with elapsed time and turn while working, then the answer', async () => {
    startInTerminal('live');
    const working = await waitForScreen('live', (s) => s.includes('→ Bash: ls') && /alpha · \S+ m?s · turn 1 · Bash: ls/.test(s));
    expect(working).not.toContain('This is the alpha service.');
    expect(working).toMatch(/^ +\S+ m?s {2}→ Bash: ls$/m);
    expect(working).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] alpha · /m);

    const final = await waitForScreen('live', (s) => s.includes('exit='));
    expect(final).toContain('This is the alpha service.');
    expect(final).toMatch(/^✔ alpha answered · \S+ m?s · 2 turns · \$0\.0016 · job [0-9a-f]{32}$/m);
    expect(final).toMatch(/^exit=0$/m);
    expect(final).not.toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /m);
    expect(screen('live', true)).toContain('\x1b[32m✔');
  });

  it('prints no colour on a terminal when NO_COLOR is set', async () => {
    startInTerminal('plain', { NO_COLOR: '1' });
    await waitForScreen('plain', (s) => s.includes('exit='));
    const raw = screen('plain', true);
    expect(raw).toContain('✔ alpha answered');
    // eslint-disable-next-line no-control-regex -- colour codes are what must be absent
    expect(raw).not.toMatch(/\x1b\[(3\d|2|1)m/);
  });
});
