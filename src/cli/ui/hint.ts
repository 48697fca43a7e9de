// Hints below the CLI are written for MCP callers (tool names, `session_id`, `timeout_seconds`); a person at the
// CLI has no such verbs, so this rewrites them into commands that exist here (pure).

type Rule = [RegExp, (match: string, ...groups: string[]) => string];

// Claude Code resumes a session from its own CLI; for the other runtimes the id alone is what a person can use.
const resume = (runtime: string, id: string) => (runtime === 'claude' ? `\`claude --resume ${id}\` in the agent's directory` : `session ${id}`);

function rules(runtime: string): Rule[] {
  return [
    [/dispatch_session\(agent="[^"]*", task="[^"]*", session_id="([^"]+)"\)/g, (_m, id) => resume(runtime, id as string)],
    [/session_id "([^"]+)"/g, (_m, id) => resume(runtime, id as string)],
    [/\(omit session_id\)/g, () => '(run it again)'],
    [/a larger timeout_seconds \(up to 7200\)/g, () => 'a larger --timeout (up to 7200 seconds)'],
    // Background runs start from an MCP client only; at the CLI a run is followed with `jobs wait`.
    [/,? or use dispatch_async\./g, () => '.'],
    [/the job_id returned by dispatch_async \(or shown by `agent-dispatch jobs`\)/g, () => 'an id that `agent-dispatch jobs` shows'],
    [/update_agent\(name="([^"]+)", ([a-z_]+)="([^"]*)"\)/g, (_m, name, key, value) => `agent-dispatch update ${name} --${(key as string).replace(/_/g, '-')} "${value}"`],
  ];
}

// The hint in CLI terms (`runtime` picks the resume command); text without MCP verbs comes back unchanged.
export function cliHint(hint: string, runtime = 'claude'): string {
  let text = hint;
  for (const [pattern, replace] of rules(runtime)) text = text.replace(pattern, replace);
  return text;
}
