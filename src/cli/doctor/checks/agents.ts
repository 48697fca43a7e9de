// Each agent's directory exists, is readable and has a CLAUDE.md (pure over gathered facts).
import { shellQuote } from '../../ui/text.js';
import type { AgentFacts, CheckResult } from '../types.js';

// One result per agent.
export function checkAgentDirectory(facts: AgentFacts): CheckResult {
  const { name } = facts;
  const dir = facts.agent.directory;
  const base = { id: `agent.${name}`, title: `Agent ${name}` };
  const move = `agent-dispatch update ${name} --directory DIR`;
  switch (facts.directory) {
    case 'missing':
      return { ...base, status: 'fail', message: `directory ${dir} does not exist`, fix: [`mkdir -p ${shellQuote(dir)}`, move, `agent-dispatch remove ${name}`] };
    case 'not_directory':
      return { ...base, status: 'fail', message: `${dir} is not a directory`, fix: [move] };
    case 'unreadable':
      return { ...base, status: 'fail', message: `directory ${dir} is not readable by you`, fix: [`chmod u+rx ${shellQuote(dir)}`] };
  }
  if (!facts.hasClaudeMd) {
    return {
      ...base,
      status: 'warn',
      message: `${dir} has no CLAUDE.md: the agent starts without project instructions`,
      fix: [`cd ${shellQuote(dir)} && claude /init`],
    };
  }
  return { ...base, status: 'ok', message: dir };
}
