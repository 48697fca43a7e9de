// What every CLI command receives: its I/O and environment, so commands run in tests with fakes.

/** A writable text sink (process.stdout in production, a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The CLI's injected world. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  /** Resolves when the user interrupts (Ctrl-C); commands that run agents abort on it. */
  signal?: AbortSignal;
  /** How to start this CLI again, e.g. [node, /path/bin/agent-dispatch.js]: background jobs run in such a process. */
  selfCommand?: string[];
}

/** Thrown by a command that wants a specific exit code without an error message (e.g. doctor found a fault). */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}
