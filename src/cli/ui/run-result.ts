// The end of `agent-dispatch test`: the answer alone on stdout (so it can be piped), then one summary line on
// stderr; on failure the error type, the message and the fix in CLI terms; a Ctrl-C is just "cancelled";
// soft problems (denied tools, budget overshoot) as warnings with the command to run.
import type { DispatchOutcome } from '../../jobs/dispatcher.js';
import type { CliContext } from '../context.js';
import type { Palette } from './color.js';
import { cliHint } from './hint.js';
import { formatCost, formatDuration } from './text.js';

// Print the outcome: the answer on stdout, the summary, failures and warnings on stderr. `interrupted`: the user
// pressed Ctrl-C, so a cancelled run is what they asked for, not a failure to fix.
export function printRunResult(
  ctx: Pick<CliContext, 'stdout' | 'stderr'>,
  c: Palette,
  outcome: DispatchOutcome,
  allowedTools: readonly string[] = [],
  interrupted = false,
): void {
  const r = outcome.result;
  const facts = [formatDuration(r.durationMs), `${r.numTurns} turn${r.numTurns === 1 ? '' : 's'}`, formatCost(r.costUsd), `job ${outcome.jobId}`];
  if (r.ok) {
    if (r.text.trim() === '') ctx.stderr.write(`${c.dim('(the agent gave no text)')}\n`);
    else ctx.stdout.write(`${r.text.replace(/\s+$/, '')}\n`);
    ctx.stderr.write(`\n${c.green('✔')} ${r.agent} answered · ${facts.join(' · ')}\n`);
    if (r.truncated) ctx.stderr.write(`${c.yellow('!')} The answer was cut from ${r.truncated.fullBytes} bytes (settings.max_output_bytes).\n`);
  } else if (interrupted && r.error?.type === 'cancelled') {
    ctx.stderr.write(`${c.yellow('■')} ${r.agent}: cancelled · ${facts.join(' · ')}\n`);
  } else {
    const error = r.error ?? { type: 'cli_error', message: 'The run failed.' };
    ctx.stderr.write(`${c.red('✘')} ${r.agent} failed: ${c.bold(error.type)} · ${facts.join(' · ')}\n  ${error.message}\n`);
    if (error.hint) ctx.stderr.write(`  ${c.dim('fix:')} ${cliHint(error.hint, r.runtime)}\n`);
    if (r.sessionId && error.type !== 'cancelled') ctx.stderr.write(`  ${c.dim('session:')} ${r.sessionId}\n`);
  }
  const denied = [...new Set(r.permissionDenials.map((d) => d.toolName))];
  if (denied.length > 0) {
    ctx.stderr.write(
      `${c.yellow('!')} ${r.permissionDenials.length} tool call(s) were denied (${denied.join(', ')}); the answer may be incomplete.\n` +
        // --allowed-tools replaces the list, so the fix keeps what the agent already has.
        `  ${c.dim('fix:')} agent-dispatch update ${r.agent} --allowed-tools "${[...new Set([...allowedTools, ...denied])].join(',')}"\n`,
    );
  }
  if (outcome.budgetExceeded) {
    ctx.stderr.write(`${c.yellow('!')} This run cost ${formatCost(r.costUsd)}, over the agent's max_budget_usd.\n  ${c.dim('fix:')} agent-dispatch update ${r.agent} --max-budget-usd 2\n`);
  }
}
