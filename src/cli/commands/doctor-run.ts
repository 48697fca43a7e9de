// The body of `agent-dispatch doctor` (defined in doctor.ts): check the installation end to end and say how to
// fix each problem.
import { VERSION } from '../../shared/version.js';
import { CliExit, type CliContext } from '../context.js';
import { paletteFor } from '../ui/color.js';
import { writeJson } from '../ui/json.js';
import { startLiveLine } from '../ui/live.js';

// Run every check and print the report; throws CliExit(1) when any check failed.
export async function runDoctor(ctx: CliContext, options: { offline?: boolean; json?: boolean }): Promise<void> {
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
}
