// The agents.yaml format as zod schemas: the reference's keys (0.13.0) plus runtime, env, daily budgets and
// max_output_bytes. Objects are strict so unknown keys surface (load.ts turns them into warnings, not errors).
import { z } from 'zod';
import { queueUrlProblem } from '../shared/queue-url.js';
import { sshHostProblem, sshOptionProblem } from '../shared/ssh.js';
import { PERMISSION_MODES, type RuntimeName } from '../shared/types.js';

/** Runtimes an agent can run on; `claude` is the default. */
export const RUNTIMES = ['claude', 'codex', 'gemini', 'opencode'] as const satisfies readonly RuntimeName[];

/** Agent and group names: ASCII letters, digits, `-`, `_`, starting with a letter or digit, at most 64 characters. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const NAME_RULE = 'letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters';

// One message per field for every way it can be wrong, so errors say what is allowed rather than what zod checked.
const wholeNumber = (min: number, what: string) => z.int({ error: what }).min(min, { error: what });
const positiveNumber = (what: string) => z.number({ error: what }).positive({ error: what }).finite({ error: what });
const flagSafe = (what: string) =>
  z.string({ error: what }).min(1, { error: what }).max(200, { error: what }).regex(/^[^-\s]\S*$/, { error: what });
// Tool rules may hold spaces and commas inside parentheses, e.g. `Bash(git log:*)`; a leading "-" would read as a flag.
const toolName = z
  .string({ error: 'each tool must be a non-empty name, e.g. Read or Bash(git log:*)' })
  .min(1, { error: 'each tool must be a non-empty name, e.g. Read or Bash(git log:*)' })
  .regex(/^[^-\s]/, { error: 'a tool name must not start with "-" or a space' });
const toolList = z.array(toolName, { error: 'must be a list of tool names, e.g. [Read, Grep, "Bash(git log:*)"]' });
const labelList = z.array(z.string({ error: 'each label must be text' }).min(1, { error: 'labels must not be empty' }), {
  error: 'must be a list of short labels, e.g. [docker_logs, deploy_debug]',
});
const text = (what: string) => z.string({ error: what });

const SECONDS = 'must be a whole number of seconds, at least 1';
/** Longest timeout: Node timers hold at most 2^31-1 ms, and a longer one fires at once (every dispatch would time out). */
export const MAX_TIMEOUT_SECONDS = 2_147_483;
const seconds = () => wholeNumber(1, SECONDS).max(MAX_TIMEOUT_SECONDS, { error: `must be at most ${MAX_TIMEOUT_SECONDS} seconds (about 24 days); a longer timer cannot be set` });
const QUEUE_RULE = 'must be a Redis URL, redis://[user:password@]host:port[/db] or rediss://…';
const USD = 'must be a positive number of US dollars, e.g. 1.5';

/** One `agents.<name>` entry. */
export const agentSchema = z
  .strictObject({
    directory: z.string({ error: 'must be the path of the project directory' }).min(1, { error: 'must be the path of the project directory' }).describe('Project directory the agent runs in. `~` is expanded; a relative path is relative to this file.'),
    description: text('must be text').default('').describe('What the agent can do; shown to callers choosing an agent.'),
    runtime: z.enum(RUNTIMES, { error: `must be one of: ${RUNTIMES.join(', ')}` }).default('claude').describe('The CLI that runs this agent.'),
    timeout: seconds().optional().describe('Seconds before a dispatch is stopped (default: settings.default_timeout).'),
    model: flagSafe('must be a model name or alias without spaces, not starting with "-", e.g. sonnet').optional().describe('Model name or alias passed to the CLI, e.g. sonnet.'),
    max_budget_usd: positiveNumber(USD).optional().describe('Spend cap per dispatch in USD (default: settings.default_max_budget_usd).'),
    daily_budget_usd: positiveNumber(USD).optional().describe('Spend cap per day for this agent in USD.'),
    permission_mode: z.enum(PERMISSION_MODES, { error: `must be one of: ${PERMISSION_MODES.join(', ')}` }).optional().describe('Permission mode for the agent (default: settings.default_permission_mode).'),
    allowed_tools: toolList.optional().describe('Tools the agent may use without asking. Unset: inherit settings.default_allowed_tools; []: no list, ignoring the default.'),
    disallowed_tools: toolList.optional().describe('Tools the agent may not use. Unset: inherit settings.default_disallowed_tools; []: no list, ignoring the default.'),
    capabilities: labelList.optional().describe('Short labels of what the agent is good at, e.g. docker_logs.'),
    risky_capabilities: labelList.optional().describe('Labels of high-risk abilities, shown for extra scrutiny.'),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'environment variable names use letters, digits and "_", not starting with a digit' }),
        z.union([z.string(), z.number(), z.boolean()], { error: 'each value must be text, a number or true/false' }).transform(String),
        { error: 'must be a mapping of variable names to values, e.g. {LOG_LEVEL: debug}' },
      )
      .optional()
      .describe('Extra environment variables for the agent process.'),
    host: z
      .string({ error: 'must be an ssh destination: an ssh_config alias or [user@]host[:port]' })
      .check((ctx) => {
        const problem = sshHostProblem(ctx.value);
        if (problem !== undefined) ctx.issues.push({ code: 'custom', message: `must be an ssh destination (alias or [user@]host[:port]): ${problem}`, input: ctx.value });
      })
      .optional()
      .describe('Run the agent on this SSH host (alias or [user@]host[:port]); directory is then a path there.'),
    ssh_options: z
      .array(
        z.string({ error: 'each ssh option must be text, Key=Value' }).check((ctx) => {
          const problem = sshOptionProblem(ctx.value);
          if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
        }),
        { error: 'must be a list of Key=Value ssh options, e.g. [IdentityFile=~/.ssh/id_dev]' },
      )
      .optional()
      .describe('Extra ssh options for host, each Key=Value (passed as -o); an allowlist, no command-running options.'),
    isolation: z.enum(['none', 'worktree'], { error: 'must be none or worktree' }).optional().describe('worktree: run each dispatch in a fresh git worktree on its own branch (agent-dispatch/<job>).'),
  })
  .describe('A project directory that tasks can be dispatched to.');

/** One member of a group. */
export const memberSchema = z.strictObject({
  agent: z.string({ error: 'must be the name of an agent' }).regex(NAME_PATTERN, { error: `must be an agent name (${NAME_RULE})` }),
  use_for: text('must be text: what to use this member for').optional().describe('What to use this member for, a hint for the orchestrator.'),
});

/** One `groups.<name>` entry: a descriptive working set of agents. */
export const groupSchema = z.strictObject({
  description: text('must be text: how an orchestrator should coordinate the group').default('').describe('For the orchestrator: how to coordinate the group. Never sent to members.'),
  shared_context: text('must be text: facts every member should know').optional().describe('Facts for members, prepended to the context of a dispatch made with this group.'),
  members: z.array(memberSchema, { error: 'must be a list of {agent, use_for} entries' }).default([]).describe('The agents in the group; an agent may be in several groups.'),
});

/** The result cache. */
export const cacheSchema = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }).default(true).describe('Answer identical successful requests from the cache.'),
  ttl: wholeNumber(0, 'must be a whole number of seconds, 0 or more').default(300).describe('Seconds a cached result stays valid.'),
  max_size: wholeNumber(0, 'must be a whole number of entries, 0 or more').default(1000).describe('Most results kept; the least recently used go first.'),
});

const PER_MTOK = 'must be a number of US dollars per million tokens, 0 or more, e.g. 1.25';
const perMtok = () => z.number({ error: PER_MTOK }).nonnegative({ error: PER_MTOK }).finite({ error: PER_MTOK });

/** One `settings.prices.<model>` entry, in USD per million tokens. */
export const priceSchema = z.strictObject({
  input_per_mtok: perMtok().describe('Input (prompt) tokens.'),
  output_per_mtok: perMtok().describe('Output tokens, reasoning included.'),
  cached_input_per_mtok: perMtok().optional().describe('Cache reads (default: the input price).'),
  cache_write_per_mtok: perMtok().optional().describe('Cache writes (default: the input price).'),
});

/** The `settings` section: defaults for every agent and server-wide limits. */
export const settingsSchema = z.strictObject({
  default_timeout: seconds().default(300).describe('Seconds before a dispatch is stopped, for agents without a timeout.'),
  default_permission_mode: z.enum(PERMISSION_MODES, { error: `must be one of: ${PERMISSION_MODES.join(', ')}` }).optional().describe('Permission mode for agents without one.'),
  default_allowed_tools: toolList.optional().describe('Allowed tools for agents whose allowed_tools is unset.'),
  default_disallowed_tools: toolList.optional().describe('Disallowed tools for agents whose disallowed_tools is unset.'),
  default_max_budget_usd: positiveNumber(USD).optional().describe('Spend cap per dispatch in USD for agents without max_budget_usd.'),
  daily_budget_usd: positiveNumber(USD).optional().describe('Spend cap per day across all agents in USD.'),
  max_dispatch_depth: wholeNumber(0, 'must be a whole number, 0 or more').default(3).describe('How deep dispatches may nest (an agent dispatching to another).'),
  max_concurrency: wholeNumber(1, 'must be a whole number, at least 1').default(5).describe('Most agent processes running at once.'),
  job_retention_days: wholeNumber(0, 'must be a whole number of days, 0 (keep forever) or more').default(0).describe('Delete finished jobs older than this many days at server start; 0 keeps them.'),
  worktree_retention_days: wholeNumber(0, 'must be a whole number of days, 0 (keep forever) or more').default(7).describe('Remove worktrees of finished isolated dispatches older than this many days at server start, unless kept; 0 keeps them.'),
  max_output_bytes: wholeNumber(1024, 'must be a whole number of bytes, at least 1024').optional().describe('Longest answer text a tool result carries inline, in bytes; the whole answer stays available through fetch_result.'),
  cache: cacheSchema.prefault({}).describe('The result cache.'),
  queue: z
    .string({ error: QUEUE_RULE })
    .check((ctx) => {
      const problem = queueUrlProblem(ctx.value);
      if (problem !== undefined) ctx.issues.push({ code: 'custom', message: `${QUEUE_RULE}: ${problem}`, input: ctx.value });
    })
    .optional()
    .describe('A Redis URL (redis://[user:password@]host:port[/db] or rediss:// for TLS): every dispatch goes to the worker pool on it. AGENT_DISPATCH_QUEUE overrides it.'),
  pool_max_concurrency: wholeNumber(1, 'must be a whole number, at least 1').optional().describe('Most agents running at once across the whole worker pool (each worker also keeps its own max_concurrency).'),
  pool_failover_seconds: wholeNumber(3, 'must be a whole number of seconds from 3 to 120').max(120, { error: 'must be a whole number of seconds from 3 to 120' }).optional().describe('How long a job of a worker that died may stay unnoticed before it fails or is retried (default 20).'),
  pool_on_worker_loss: z.enum(['fail', 'retry'], { error: 'must be fail or retry' }).optional().describe('A job whose worker died: fail it naming the host (default: agent runs are not idempotent) or run it once more on another worker.'),
  pool_grace_seconds: wholeNumber(0, 'must be a whole number of seconds, 0 or more').optional().describe('On SIGTERM a worker lets running jobs finish this long (default 30), then hands them back to the queue.'),
  prices: z
    .record(z.string().min(1, { error: 'model names must not be empty' }), priceSchema, { error: 'must be a mapping of model names to prices, e.g. {gpt-5: {input_per_mtok: 1.25, output_per_mtok: 10}}' })
    .optional()
    .describe('Model prices for runtimes that report tokens but no cost (Codex, Gemini CLI, some OpenCode providers); added to the built-in table.'),
});

const nameKey = (kind: string) => z.string().regex(NAME_PATTERN, { error: `${kind} names may use ${NAME_RULE}` });

/** The whole file. Missing sections are empty; settings get their defaults. */
export const configSchema = z
  .strictObject({
    agents: z.record(nameKey('agent'), agentSchema, { error: 'must be a mapping of agent names to agent settings' }).default({}).describe('Agents by name.'),
    groups: z.record(nameKey('group'), groupSchema, { error: 'must be a mapping of group names to group settings' }).default({}).describe('Groups by name: working sets of related agents.'),
    settings: settingsSchema.prefault({}).describe('Defaults for every agent and server-wide limits.'),
  })
  .describe('agent-dispatch agents.yaml');

/** A parsed config: every section present, settings defaults applied, agent directories absolute. */
export type Config = z.output<typeof configSchema>;
/** One agent as written in the file (after parsing). */
export type AgentConfig = z.output<typeof agentSchema>;
/** One group as written in the file (after parsing). */
export type GroupConfig = z.output<typeof groupSchema>;
/** One group member. */
export type GroupMember = z.output<typeof memberSchema>;
/** The settings section with defaults applied. */
export type Settings = z.output<typeof settingsSchema>;
/** The keys an agent entry may have. */
export type AgentKey = keyof typeof agentSchema.shape;

/** Agent keys in the order new entries are written. */
export const AGENT_KEYS = Object.keys(agentSchema.shape) as AgentKey[];

// An empty config with every default, for a missing or empty file.
export function emptyConfig(): Config {
  return configSchema.parse({});
}
