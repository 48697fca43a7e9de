// Claude Code's registration exists, starts this installation, and connects (pure over `claude mcp get`).
import { describeEntry, describeSpec, matchesSpec, SERVER_NAME } from '../../init/mcp-entry.js';
import { shellCommand, shellQuote } from '../../ui/text.js';
import type { CheckResult, RegistrationFacts } from '../types.js';

// One result for the registration.
export function checkRegistration(facts: RegistrationFacts): CheckResult {
  const base = { id: 'registration', title: 'Claude Code registration' };
  if (facts.kind === 'skipped') return { ...base, status: 'skip', message: `skipped: ${facts.reason}` };
  const { lookup, expected } = facts;
  if (lookup.kind === 'error') return { ...base, status: 'warn', message: `\`claude mcp get ${SERVER_NAME}\` failed: ${lookup.message}`, fix: ['claude mcp list'] };
  if (lookup.kind === 'missing') {
    return { ...base, status: 'warn', message: `"${SERVER_NAME}" is not registered, so Claude Code sessions do not have the dispatch tools`, fix: ['agent-dispatch init'] };
  }
  const entry = lookup.entry;
  const scope = entry.scope ?? 'user';
  const where = `${scope} scope`;
  const reinit = `agent-dispatch init${scope === 'user' ? '' : ` --scope ${scope}`}`;
  if (entry.type === 'http') {
    if (entry.status === 'connected') return { ...base, status: 'ok', message: `HTTP server at ${entry.url ?? '?'} (${where}), connected` };
    const port = /:(\d+)\//.exec(entry.url ?? '')?.[1];
    return {
      ...base,
      status: 'warn',
      message: `registered as the HTTP server at ${entry.url ?? '?'} (${where}), which is not answering: ${entry.issue ?? entry.statusText}`,
      fix: [`agent-dispatch serve --http${port ? ` --port ${port}` : ''}`, reinit],
    };
  }
  if (!matchesSpec(entry, expected)) {
    const broken = entry.status === 'failed';
    return {
      ...base,
      status: broken ? 'fail' : 'warn',
      message: `registered (${where}) to start ${describeEntry(entry)}${broken ? `, which fails: ${entry.issue ?? entry.statusText}` : ''}; this installation is ${describeSpec(expected)}`,
      fix: [reinit],
    };
  }
  if (entry.status === 'pending') {
    return { ...base, status: 'warn', message: `registered in ${facts.cwd}/.mcp.json, waiting for your approval`, fix: [`cd ${shellQuote(facts.cwd)} && claude`] };
  }
  if (entry.status !== 'connected') {
    return {
      ...base,
      status: 'fail',
      message: `registered (${where}), but Claude Code cannot start it: ${entry.issue ?? entry.statusText}`,
      fix: expected.type === 'stdio' ? [`${shellCommand([expected.command, ...expected.args])} < /dev/null`] : ['claude mcp get agent-dispatch'],
    };
  }
  return { ...base, status: 'ok', message: `${where}, connected: ${describeSpec(expected)}` };
}
