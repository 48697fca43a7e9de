// A private tmux server for tests that need a real terminal: start a script in a detached session of a given size,
// read the screen, wait for it to show something, send keys. `TMUX_BIN` is undefined when tmux is missing (skip).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { findExecutable } from '../../src/cli/init/which.js';
import { shellCommand } from '../../src/cli/ui/text.js';

/** The tmux executable, or undefined when it is not installed. */
export const TMUX_BIN = findExecutable('tmux', process.env, process.cwd());

/** One tmux server of a test file. */
export interface Terminal {
  tmux(...args: string[]): string;
  /** Run `argv` in `cwd` with exactly `env` in a new session; the shell then prints `exit=<code>` and waits. */
  start(session: string, options: { script: string; cwd: string; env: Record<string, string>; argv: readonly string[]; size?: [number, number]; stdin?: string }): void;
  /** The visible screen (with colour escapes when `escapes`). */
  screen(session: string, escapes?: boolean): string;
  /** Poll the screen until `done` holds; throws with the screen after `timeoutMs`. */
  waitFor(session: string, done: (shown: string) => boolean, timeoutMs?: number): Promise<string>;
  keys(session: string, ...keys: string[]): void;
  /** Kill the server and every session (never throws). */
  close(): void;
}

// A terminal whose tmux server is named after this process and `name`, so parallel test files never meet.
export function createTerminal(name: string): Terminal {
  const socket = `ad-${name}-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync(TMUX_BIN as string, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const screen = (session: string, escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);
  return {
    tmux,
    start(session, { script, cwd, env, argv, size = [100, 30], stdin }) {
      const assignments = Object.entries(env).map(([k, v]) => shellCommand([`${k}=${v}`]));
      const redirect = stdin ? ` <${stdin}` : '';
      writeFileSync(script, `cd ${shellCommand([cwd])}\nenv -i ${assignments.join(' ')} ${shellCommand([...argv])}${redirect}\necho "exit=$?"\nsleep 120\n`);
      tmux('new-session', '-d', '-s', session, '-x', String(size[0]), '-y', String(size[1]), 'sh', script);
    },
    screen,
    async waitFor(session, done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen(session);
        if (done(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`screen never matched; it shows:\n${shown}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    keys(session, ...keys) {
      tmux('send-keys', '-t', session, ...keys);
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // no server left
      }
    },
  };
}
