// In-process CLI runs for the config commands: a temp HOME, AGENT_DISPATCH_CONFIG pointing at a temp file,
// and fake stdout/stderr sinks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runCli } from '../../src/cli/run.js';

/** What a run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A sandbox: a home, a config path, a working directory, and helpers. */
export interface Sandbox {
  home: string;
  cwd: string;
  config: string;
  env: Record<string, string>;
  run(argv: string[], options?: { tty?: boolean; env?: Record<string, string>; columns?: number }): Promise<CliRun>;
  /** Make a project directory under the sandbox with the given files. */
  project(name: string, files?: Record<string, string>): string;
  /** The config file's text ('' when missing). */
  read(): string;
  write(text: string): void;
}

// A fresh sandbox, removed when the test file ends.
export function sandbox(): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'ad-cli-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  const config = join(root, 'config', 'agents.yaml');
  mkdirSync(home);
  mkdirSync(cwd);
  const env = { HOME: home, AGENT_DISPATCH_CONFIG: config, PATH: process.env.PATH ?? '' };
  return {
    home,
    cwd,
    config,
    env,
    async run(argv, options = {}) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        env: { ...env, ...options.env },
        cwd,
        stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false, ...(options.columns !== undefined && { columns: options.columns }) },
        stderr: { write: (s: string) => (stderr += s) },
      });
      return { code, stdout, stderr };
    },
    project(name, files = {}) {
      const dir = join(cwd, name);
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      return dir;
    },
    read: () => (existsSync(config) ? readFileSync(config, 'utf8') : ''),
    write(text) {
      mkdirSync(join(config, '..'), { recursive: true });
      writeFileSync(config, text);
    },
  };
}
