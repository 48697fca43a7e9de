// The agents.yaml that `init` writes: valid as is (no agents yet), with commented examples of every common key,
// and a schema line so editors with yaml-language-server complete keys and flag mistakes.

import { PERMISSION_MODES } from '../../shared/types.js';

// The file's text. `schemaPath` is the absolute path of the shipped JSON Schema (omitted when not found).
export function configTemplate(schemaPath: string | undefined): string {
  const schema = schemaPath === undefined ? [] : [`# yaml-language-server: $schema=${schemaPath}`];
  return [
    ...schema,
    '# agent-dispatch: the project directories Claude Code can hand tasks to.',
    '# `agent-dispatch add NAME DIR` adds an agent here (your comments are kept); `agent-dispatch test NAME` tries it;',
    '# `agent-dispatch doctor` checks the whole setup. Every key is optional unless marked.',
    '',
    '# Agents by name. For example:',
    '#   backend:',
    '#     directory: ~/projects/backend       # required: the project the agent works in',
    '#     description: REST API and database migrations',
    // The same list as `add --help` and the schema: both come from PERMISSION_MODES.
    `#     permission_mode: acceptEdits        # ${PERMISSION_MODES.join(', ')}`,
    '#     allowed_tools: [Read, Grep, Edit, "Bash(npm test:*)"]',
    '#     timeout: 600                        # seconds',
    '#     max_budget_usd: 1.0                 # spend cap per dispatch',
    '#     capabilities: [api, migrations]',
    '#   infra:',
    '#     directory: ~/projects/infra',
    '#     allowed_tools: [Read, Grep, "Bash(kubectl get:*)"]',
    'agents:',
    '',
    '# Groups: working sets of agents an orchestrator coordinates. For example:',
    '#   release:',
    '#     description: Ship a release; backend first, then infra.',
    '#     members:',
    '#       - agent: backend',
    '#         use_for: code changes and migrations',
    '#       - agent: infra',
    '#         use_for: deploys',
    'groups:',
    '',
    'settings:',
    '  default_timeout: 300       # seconds',
    '  max_concurrency: 5         # agent processes running at once',
    '  max_dispatch_depth: 3      # how deep agents may dispatch to one another',
    '  # default_max_budget_usd: 2.0',
    '  # daily_budget_usd: 20',
    '  # job_retention_days: 30',
    '',
  ].join('\n');
}
