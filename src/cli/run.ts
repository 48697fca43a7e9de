// Runs the CLI against an injected context and returns the exit code; never exits the process.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { commands } from './commands/index.js';
import { CliExit, type CliContext } from './context.js';
import { isDispatchError } from '../shared/errors.js';
import { UsageError } from './usage.js';

/** Exit codes: 0 success, 1 a user error, 2 bad usage. */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

// Parse argv, run the command, map failures to exit codes and messages on stderr.
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx, commands);
  program.commands.forEach(function walk(cmd) {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => void ctx.stdout.write(s), writeErr: (s) => void ctx.stderr.write(s) });
    cmd.commands.forEach(walk);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || isDispatchError(error)) {
      ctx.stderr.write(`error: ${error.message}\n`);
      // Loaded on this error path only (it is shared with the commands' bodies: one module fewer at every start).
      if (error.hint) ctx.stderr.write(`hint: ${(await import('./ui/hint.js')).cliHint(error.hint)}\n`);
      return error instanceof UsageError ? EXIT.usage : EXIT.error;
    }
    ctx.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.error;
  }
}
