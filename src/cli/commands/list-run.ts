// The body of `agent-dispatch list` (defined in list.ts): every agent with its health (directory exists, has
// CLAUDE.md), permissions and last run. The last run comes from a lookup the job layer provides (issue 8).
import type { Config } from '../../config/schema.js';
import { agentOverview, type HealthCheck } from '../../config/overview.js';
import { agentNames } from '../../config/resolve.js';
import type { CliContext } from '../context.js';
import { colorEnabled, paint, plural, renderTable, tildify, type Cell, type Style } from '../format.js';
import { printWarnings, readConfig } from '../config-read.js';
import { homeOf } from '../home.js';
import { createHealthCheck } from '../host-health.js';
import { storeLastRuns } from './list-last-run.js';
import { queueUrlOf } from '../../shared/queue-url.js';

/** The outcome of an agent's most recent run, for the LAST RUN column. */
export interface LastRun {
  /** e.g. "ok", "failed: timeout". */
  outcome: string;
  /** When it finished, ms since the epoch. */
  at: number;
}

/** Looks up the last run of each named agent (the job store implements it). */
export type LastRunLookup = (agents: string[]) => Promise<Map<string, LastRun>>;

/** What `list` can be given. */
export interface ListCommandOptions {
  /** Fill the LAST RUN column; absent until the job store provides it. */
  lastRun?: LastRunLookup;
  /** For "5 min ago". */
  now?: () => number;
}

// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

// One agent's row data, shared by the table and --json.
async function agentRow(config: Config, name: string, lastRun: LastRun | undefined, health?: HealthCheck) {
  return {
    ...(await agentOverview(config, name, health)),
    last_run: lastRun === undefined ? null : { outcome: lastRun.outcome, at: new Date(lastRun.at).toISOString() },
  };
}

type Row = Awaited<ReturnType<typeof agentRow>>;

// "plan, 3 allowed, 1 denied" or "default".
function permissions(row: Row): string {
  const parts: string[] = [row.permission_mode ?? 'default'];
  if (row.allowed_tools !== undefined) parts.push(`${row.allowed_tools.length} allowed`);
  if (row.disallowed_tools !== undefined) parts.push(`${row.disallowed_tools.length} denied`);
  return parts.join(', ');
}

// The health cell: ok, no CLAUDE.md (works, but without project instructions), or a missing directory.
function health(row: Row): Cell {
  if (row.host_error !== undefined) return { text: 'unreachable', style: 'red' };
  if (!row.healthy) return { text: 'missing dir', style: 'red' };
  return row.has_claude_md ? { text: 'ok', style: 'green' } : { text: 'no CLAUDE.md', style: 'yellow' };
}

// ok green, failures red, runs in progress cyan, cancelled yellow.
function outcomeStyle(outcome: string): Style {
  if (outcome === 'ok') return 'green';
  if (outcome.startsWith('failed')) return 'red';
  return outcome === 'cancelled' ? 'yellow' : 'cyan';
}

// Print the agents (table or --json); the LAST RUN column comes from `options.lastRun`, by default the job store.
export async function runList(ctx: CliContext, flags: { json?: boolean }, options: ListCommandOptions = { lastRun: storeLastRuns(ctx) }): Promise<void> {
  // Cached: an unchanged agents.yaml is read without the YAML parser and the schema (config/cached-load.ts).
  const loaded = await readConfig(ctx);
  printWarnings(ctx, loaded);
  const queue = queueUrlOf(loaded.config.settings.queue, ctx.env);
  if (queue !== undefined) {
    // Pool mode only: the pool's list loads the queue client, which plain `list` never needs.
    const { listPoolAgents } = await import('./list-pool.js');
    return listPoolAgents(ctx, loaded.config, queue, flags.json === true);
  }
  const names = agentNames(loaded.config);
  const runs = options.lastRun === undefined || names.length === 0 ? new Map<string, LastRun>() : await options.lastRun(names);
  const check = createHealthCheck(ctx.env);
  const rows = await Promise.all(names.map((name) => agentRow(loaded.config, name, runs.get(name), check)));
  if (flags.json) {
    ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    ctx.stdout.write('No agents yet. Add one with: agent-dispatch add NAME DIR\n');
    return;
  }
  const color = colorEnabled(ctx.stdout, ctx.env);
  const home = homeOf(ctx);
  const now = (options.now ?? Date.now)();
  const table = rows.map((row): Cell[] => [
    { text: row.name, style: 'bold' },
    health(row),
    row.last_run === null ? { text: '-', style: 'dim' } : { text: `${row.last_run.outcome}, ${ago(Date.parse(row.last_run.at), now)}`, style: outcomeStyle(row.last_run.outcome) },
    row.runtime,
    permissions(row),
    tildify(row.directory, home),
    row.description,
  ]);
  const maxWidth = ctx.stdout.isTTY ? (ctx.stdout.columns ?? 100) : undefined;
  ctx.stdout.write(renderTable(['NAME', 'HEALTH', 'LAST RUN', 'RUNTIME', 'PERMISSIONS', 'DIRECTORY', 'DESCRIPTION'], table, { color, flexible: [6, 5, 4], ...(maxWidth !== undefined && { maxWidth }) }));
  const broken = rows.filter((r) => !r.healthy).length;
  if (broken > 0) ctx.stdout.write(paint(`${plural(broken, 'agent')} with a missing directory; fix: agent-dispatch update NAME --directory DIR\n`, 'yellow', color));
}
