// `agent-dispatch jobs`: every dispatch's job from a terminal, even when no MCP client is connected: list, show,
// wait (live progress), cancel, approve/deny, gc (jobs-run.ts, jobs-approve.ts). The reference's verbs `job ID`,
// `cancel ID` and `gc` are kept as aliases.
import type { Command } from 'commander';
import { JOB_STATUSES } from '../../jobs/types.js';
import type { CliContext } from '../context.js';
import type { ListOptions } from './jobs-run.js';

/** `jobs gc` without --days or --all, when job_retention_days is 0 (the reference's default). */
export const DEFAULT_GC_DAYS = 7;

// The error commander gives for an unknown subcommand of a command without an action, with its suggestion.
async function unknownSubcommand(cmd: Command): Promise<never> {
  const { closest } = await import('../../config/suggest.js');
  const word = String(cmd.args[0]);
  const names = cmd.commands.map((sub) => sub.name());
  const near = closest(word, names);
  const suggestion = near ? `\n(Did you mean ${near}?)` : `\n(jobs takes one of: ${names.join(', ')})`;
  return cmd.error(`error: unknown command '${word}' for 'jobs'${suggestion}`, { exitCode: 2, code: 'commander.unknownCommand' });
}

// Register `jobs` and its subcommands, and the aliases `job`, `cancel`, `gc`.
export function registerJobs(program: Command, ctx: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('List jobs (every dispatch is one); show, wait for, cancel or delete them')
    .option('--status <status>', `only jobs in this state: ${JOB_STATUSES.join(', ')}`)
    .option('--agent <name>', 'only jobs of this agent')
    .option('--limit <n>', 'how many, newest first', '20')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', '\nIds: the full id or any unique prefix of 6+ characters.\nExamples:\n  agent-dispatch jobs --status running\n  agent-dispatch jobs wait 3f2a9c1e\n  agent-dispatch jobs gc --days 30\nThe reference\'s `job ID`, `cancel ID` and `gc` work too.')
    // `jobs` lists when given no subcommand, so commander sees `jobs shwo` as an extra argument: say what was meant.
    .allowExcessArguments()
    .action(async (options: ListOptions, self: Command) => {
      if (self.args.length > 0) await unknownSubcommand(self);
      const { listJobs, withServices } = await import('./jobs-run.js');
      return withServices(ctx, (s) => listJobs(ctx, s, options));
    });
  // `jobs` has --json too and commander gives it the flag wherever it appears: read the merged options.
  const show = (cmd: Command) =>
    cmd
      .description('Show a job: its prompt, events and result')
      .argument('<id>')
      .option('--json', 'print JSON')
      .action(async (id: string, _o: unknown, self: Command) => {
        const { showJob, withServices } = await import('./jobs-run.js');
        return withServices(ctx, (s) => showJob(ctx, s, id, self.optsWithGlobals()));
      });
  const cancel = (cmd: Command) =>
    cmd
      .description('Cancel a job; a running agent is stopped with its whole process tree')
      .argument('<id>')
      .option('--json', 'print JSON')
      .action(async (id: string, _o: unknown, self: Command) => {
        const { cancelJob, withServices } = await import('./jobs-run.js');
        return withServices(ctx, (s) => cancelJob(ctx, s, id, self.optsWithGlobals()));
      });
  const gc = (cmd: Command) =>
    cmd
      .description(`Delete finished jobs older than N days (default: job_retention_days, else ${DEFAULT_GC_DAYS})`)
      .option('--days <n>', 'age in days')
      .option('--all', 'every finished job, whatever its age')
      .option('--json', 'print JSON')
      .action(async (_o: unknown, self: Command) => {
        const { gcJobs, withServices } = await import('./jobs-run.js');
        return withServices(ctx, (s) => gcJobs(ctx, s, { ...self.optsWithGlobals(), defaultDays: DEFAULT_GC_DAYS }));
      });
  show(jobs.command('show'));
  jobs
    .command('wait')
    .description('Follow a job\'s progress until it ends; exit 0 if it succeeded, 1 otherwise')
    .argument('<id>')
    .option('--timeout <seconds>', 'stop waiting after this long (the job goes on)')
    .option('--json', 'print the final job as JSON')
    .action(async (id: string, _o: unknown, self: Command) => {
      const { waitJob, withServices } = await import('./jobs-run.js');
      return withServices(ctx, (s) => waitJob(ctx, s, id, self.optsWithGlobals()));
    });
  cancel(jobs.command('cancel'));
  jobs
    .command('approve')
    .description('Allow a permission request of a job waiting in input_required (its only one unless REQUEST is given)')
    .argument('<id>')
    .argument('[request]', 'the request id shown by `jobs show`')
    .option('--always', 'allow always: also add the rule to the agent\'s allowed_tools')
    .option('--json', 'print JSON')
    .action(async (id: string, request: string | undefined, _o: unknown, self: Command) => {
      const o = self.optsWithGlobals<{ always?: boolean; json?: boolean }>();
      return (await import('./jobs-approve.js')).answerRequest(ctx, id, request, o.always ? 'allow_always' : 'allow_once', o.json === true);
    });
  jobs
    .command('deny')
    .description('Deny a permission request of a job waiting in input_required; the agent goes on without it')
    .argument('<id>')
    .argument('[request]', 'the request id shown by `jobs show`')
    .option('--json', 'print JSON')
    .action(async (id: string, request: string | undefined, _o: unknown, self: Command) =>
      (await import('./jobs-approve.js')).answerRequest(ctx, id, request, 'deny', self.optsWithGlobals<{ json?: boolean }>().json === true),
    );
  gc(jobs.command('gc'));
  show(program.command('job', { hidden: true }));
  cancel(program.command('cancel', { hidden: true }));
  gc(program.command('gc', { hidden: true }));
}
