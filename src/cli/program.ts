// Builds the commander program: one register function per command file.
import { Command } from 'commander';
import type { CliContext } from './context.js';
import { VERSION } from '../shared/version.js';

/** Commands register themselves on the program with the shared context. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

// Assemble the program; `commands` is the list from commands/index.ts.
export function buildProgram(ctx: CliContext, commands: RegisterCommand[]): Command {
  const program = new Command('agent-dispatch')
    .description('Hand tasks to Claude Code agents that live in other project directories.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  agent-dispatch init                      register with Claude Code\n' +
        '  agent-dispatch add api ~/src/api         make a project an agent\n' +
        '  agent-dispatch test api "What is this?"  one real dispatch, live\n' +
        '  agent-dispatch doctor                    find setup problems, with fixes',
    )
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
    })
    .exitOverride();
  for (const register of commands) register(program, ctx);
  return program;
}
