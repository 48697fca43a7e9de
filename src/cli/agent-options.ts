// The agent options shared by `add` and `update`, mirroring the reference's flags (plus --runtime and
// --daily-budget-usd); agent-values.ts turns them into the config layer's option values.
import type { Command } from 'commander';
import { PERMISSION_MODES } from '../shared/types.js';

/** The parsed flags, as commander names them. */
export interface AgentFlags {
  directory?: string;
  description?: string;
  timeout?: string;
  model?: string;
  permissionMode?: string;
  allowedTools?: string;
  disallowedTools?: string;
  maxBudgetUsd?: string;
  dailyBudgetUsd?: string;
  capabilities?: string;
  riskyCapabilities?: string;
  runtime?: string;
  host?: string;
  approvals?: string;
  approvalTimeout?: string;
}

// Declare the agent flags on a command; `clear` adds the "none clears it" note for update.
export function addAgentFlags(command: Command, clear: boolean): Command {
  const none = clear ? '; "none" clears it' : '';
  return command
    .option('--description <text>', `what the agent can do (default: generated from the project's files)${none}`)
    .option('--timeout <seconds>', `seconds before a dispatch is stopped (default: settings.default_timeout)${none}`)
    .option('--model <name>', `model name or alias, e.g. sonnet${none}`)
    .option('--permission-mode <mode>', `one of ${PERMISSION_MODES.join(', ')}${none}`)
    .option('--allowed-tools <list>', `comma-separated tools the agent may use, e.g. "Read,Grep,Bash(git log:*)"${none}`)
    .option('--disallowed-tools <list>', `comma-separated tools the agent may not use${none}`)
    .option('--max-budget-usd <usd>', `spend cap per dispatch in USD${none}`)
    .option('--daily-budget-usd <usd>', `spend cap per day in USD${none}`)
    .option('--capabilities <list>', `comma-separated labels of what it is good at, e.g. docker_logs,deploy_debug${none}`)
    .option('--risky-capabilities <list>', `comma-separated labels of high-risk abilities${none}`)
    .option('--runtime <name>', `claude (default), codex, gemini or opencode${none}`)
    .option('--host <ssh-host>', `run the agent on this SSH host (alias or [user@]host[:port]); DIR is then a path there${none}`)
    .option('--approvals <mode>', `ask: its permission requests come to the caller; deny (default): they are denied${none}`)
    .option('--approval-timeout <seconds>', `seconds a permission request waits for an answer (default 300)${none}`);
}
