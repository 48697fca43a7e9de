// `agent-dispatch web` as a command: prints a one-time sign-in link that works, reuses the token file, stops on Ctrl-C.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { parseWebPort, registerWeb } from '../../src/cli/commands/web.js';
import type { CliContext } from '../../src/cli/context.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ad-web-cmd-'));
  writeFileSync(join(home, 'agents.yaml'), `agents:\n  alpha:\n    directory: ${home}\n    daily_budget_usd: 2\n  ghost:\n    directory: ${join(home, 'missing')}\n`);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function context(controller: AbortController) {
  const out: string[] = [];
  const ctx: CliContext = {
    env: { HOME: home, XDG_STATE_HOME: join(home, 'state'), AGENT_DISPATCH_CONFIG: join(home, 'agents.yaml'), AGENT_DISPATCH_LOG_LEVEL: 'error' },
    cwd: home,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: () => {} },
    signal: controller.signal,
  };
  return { ctx, out };
}

// Run `web` until its URL is printed; returns the output and a stop function.
async function startCommand(args: string[]) {
  const controller = new AbortController();
  const { ctx, out } = context(controller);
  const done = buildProgram(ctx, [registerWeb]).parseAsync(['web', ...args], { from: 'user' });
  await expect.poll(() => out.join(''), { timeout: 10_000 }).toContain('Dashboard: ');
  const url = /Dashboard: (\S+)/.exec(out.join(''))?.[1] as string;
  return { url, output: out.join(''), stop: async () => (controller.abort(), await done) };
}

describe('agent-dispatch web', () => {
  it('serves the dashboard at the printed URL, with agents and budgets from the config', async () => {
    const { url, stop, output } = await startCommand(['--port', '0']);
    try {
      const token = readFileSync(join(home, 'state', 'agent-dispatch', 'access-token'), 'utf8').trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]{32}$/);
      expect(output).not.toContain(token);
      expect(output).toContain(`asks for the access token (in ${join(home, 'state', 'agent-dispatch', 'access-token')})`);
      const signIn = await fetch(url, { redirect: 'manual' });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const agents = await (await fetch(new URL('/agents', url), { headers: { cookie } })).text();
      expect(agents).toContain('<span class="dot ok"></span>ok');
      expect(agents).toContain(`directory ${join(home, 'missing')} does not exist`);
      expect(await (await fetch(new URL('/costs', url), { headers: { cookie } })).text()).toContain('$0 of $2.00');
    } finally {
      await stop();
    }
    await expect(fetch(url)).rejects.toThrow();
  });

  it('reuses the token on the next run', async () => {
    const tokenFile = join(home, 'state', 'agent-dispatch', 'access-token');
    const first = await startCommand(['--port', '0']);
    await first.stop();
    const token = readFileSync(tokenFile, 'utf8');
    const second = await startCommand(['--port', '0']);
    await second.stop();
    expect(readFileSync(tokenFile, 'utf8')).toBe(token);
    expect(second.url).not.toBe(first.url);
  });

  it.each([['0', 0], ['7788', 7788], [' 8080 ', 8080]])('reads --port %j', (text, port) => expect(parseWebPort(text)).toBe(port));

  it.each([['-1'], ['65536'], ['http'], ['']])('refuses --port %j', (text) => expect(() => parseWebPort(text)).toThrow('--port must be a whole number from 0 to 65535'));
});
