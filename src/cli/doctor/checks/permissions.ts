// Permission settings that will surely fail in headless mode (claude-cli.md §3, §14). Pure.
import type { AgentFacts, CheckResult } from '../types.js';

// Capability labels that mean the agent is expected to change files or systems.
const WRITE_WORDS = /write|edit|modif|fix|refactor|implement|creat|delet|remov|updat|deploy|migrat|commit|push|install|releas|restart|patch|apply|generat|format|scaffold|renam|build/i;

// Tools that can change files when pre-approved; `Bash(…)` rules count as Bash.
const WRITE_TOOLS = /^(Write|Edit|MultiEdit|NotebookEdit|Bash)(\(|$)/;

// Labels among the agent's capabilities that imply writes.
export function writeCapabilities(facts: Pick<AgentFacts, 'capabilities' | 'riskyCapabilities'>): string[] {
  return [...facts.capabilities, ...facts.riskyCapabilities].filter((label) => WRITE_WORDS.test(label));
}

// Problems with one agent's permissions; an empty list when nothing will surely fail.
export function checkAgentPermissions(facts: AgentFacts, context: { isRoot: boolean; isSandbox: boolean }): CheckResult[] {
  const { name, agent } = facts;
  const mode = agent.permissionMode ?? 'default';
  const base = { id: `permissions.${name}`, title: `Permissions ${name}` };
  const grant = `agent-dispatch update ${name} --allowed-tools "Read,Grep,Glob,Edit,Write,Bash"`;
  const accept = `agent-dispatch update ${name} --permission-mode acceptEdits`;
  const results: CheckResult[] = [];
  if (mode === 'bypassPermissions' && context.isRoot && !context.isSandbox && agent.env?.IS_SANDBOX !== '1') {
    results.push({
      ...base,
      status: 'fail',
      message: 'permission_mode bypassPermissions: Claude Code refuses it when running as root (without IS_SANDBOX=1), so every dispatch fails',
      fix: [accept, grant],
    });
  }
  const needs = writeCapabilities(facts);
  if (needs.length === 0) return results;
  const labels = needs.join(', ');
  if (mode === 'plan') {
    results.push({ ...base, status: 'fail', message: `permission_mode plan never writes, but its capabilities (${labels}) need writes`, fix: [accept, grant] });
    return results;
  }
  const canWrite = (agent.allowedTools ?? []).some((tool) => WRITE_TOOLS.test(tool));
  if ((mode === 'dontAsk' || mode === 'default' || mode === 'manual') && !canWrite) {
    results.push({
      ...base,
      // dontAsk denies everything not listed, by design; default mode at least lets read-only commands through.
      status: mode === 'dontAsk' ? 'fail' : 'warn',
      message: `permission_mode ${mode} with no write tool allowed: edits and commands will be denied, but its capabilities (${labels}) need writes`,
      fix: [grant, accept],
    });
  }
  return results;
}
