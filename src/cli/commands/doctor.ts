// `agent-dispatch doctor`: check the installation end to end and say how to fix each problem.
import type { Command } from 'commander';
import { VERSION } from '../../shared/version.js';
import { CliExit, type CliContext } from '../context.js';
import { paletteFor } from '../ui/color.js';
import { writeJson } from '../ui/json.js';
import { startLiveLine } from '../ui/live.js';

// Register `doctor`.
export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('Check the installation: Node.js, claude, authentication, config, agents, registration, job store')
    .option('--offline', 'skip the authentication check (it sends one tiny request, about $0.001)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  agent-dispatch doctor',
        '  agent-dispatch doctor --offline',
        "  agent-dispatch doctor --json | jq -r '.checks[] | select(.status == \"fail\") | .fix[0]'",
        '',
        'Exits 1 when any check fails; warnings alone exit 0.',
      ].join('\n'),
    )
    .action(async (options: { offline?: boolean; json?: boolean }) => {
      // Loaded when the command runs: the checks reach the config, the job store and the runner.
      const [{ runChecks, summarize }, { checkHosts, gatherHostFacts }, { checkQueue, gatherQueueFacts }, { gatherFacts }, { renderReport }] = await Promise.all([
        import('../doctor/checks/index.js'),
        import('../doctor/checks/hosts.js'),
        import('../doctor/checks/queue.js'),
        import('../doctor/gather.js'),
        import('../doctor/render.js'),
      ]);
      const c = paletteFor(ctx.stdout, ctx.env);
      const live = !options.json && ctx.stdout.isTTY ? startLiveLine({ sink: ctx.stdout, status: () => 'checking…', paint: c.cyan }) : undefined;
      let facts;
      let hosts;
      let queue;
      try {
        [facts, hosts, queue] = await Promise.all([gatherFacts(ctx, { ...(options.offline ? { offline: true } : {}) }), gatherHostFacts(ctx, { ...(options.offline ? { offline: true } : {}) }), gatherQueueFacts(ctx)]);
      } finally {
        live?.stop();
      }
      const results = [...runChecks(facts), ...checkHosts(hosts), ...checkQueue(queue)];
      const summary = summarize(results);
      if (options.json) writeJson(ctx.stdout, { version: VERSION, ok: summary.fail === 0, summary, checks: results });
      else ctx.stdout.write(`${c.bold(`agent-dispatch ${VERSION} doctor`)}\n\n${renderReport(results, summary, c)}`);
      if (summary.fail > 0) throw new CliExit(1);
    });
}
