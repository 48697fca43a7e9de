// The config file loads and validates; each problem is located, and the fix opens the editor at its line.
import { formatIssue, type ConfigIssue } from '../../../config/index.js';
import { shellQuote } from '../../ui/text.js';
import type { CheckResult, ConfigFacts } from '../types.js';

// `${EDITOR:-vi} +LINE FILE`: opens most editors (vi, nano, emacs, code -g aside) at the line.
export function editCommand(file: string, line?: number): string {
  return `\${EDITOR:-vi} ${line !== undefined ? `+${line} ` : ''}${shellQuote(file)}`;
}

const first = (issues: ConfigIssue[]) => issues.find((i) => i.line !== undefined) ?? issues[0];

// Parse + validate result, unknown keys and dangling group members, an empty agent list, leftover temp files.
export function checkConfig(config: ConfigFacts): CheckResult[] {
  const temps = config.staleTemps ?? [];
  if (temps.length === 0) return checkConfigFile(config);
  return [
    ...checkConfigFile(config),
    {
      id: 'config.temps',
      title: 'Config temp files',
      status: 'warn',
      message: `${temps.length} temp file${temps.length === 1 ? '' : 's'} left by an interrupted edit (the next edit removes ${temps.length === 1 ? 'it' : 'them'}):\n${temps.slice(0, 5).join('\n')}${temps.length > 5 ? `\n… and ${temps.length - 5} more` : ''}`,
      fix: [`rm ${temps.map(shellQuote).join(' ')}`],
    },
  ];
}

function checkConfigFile(config: ConfigFacts): CheckResult[] {
  const base = { id: 'config', title: 'Config file' };
  if (!config.exists) {
    return [{ ...base, status: 'warn', message: `${config.path} does not exist yet`, fix: ['agent-dispatch init'] }];
  }
  if (config.error) {
    const issues = config.error.issues;
    const lines = issues.length > 0 ? issues.slice(0, 8).map(formatIssue) : [config.error.message];
    if (issues.length > 8) lines.push(`… and ${issues.length - 8} more`);
    return [{ ...base, status: 'fail', message: `does not load:\n${lines.join('\n')}`, fix: [editCommand(config.path, first(issues)?.line)] }];
  }
  const loaded = config.loaded;
  const results: CheckResult[] = [];
  const count = Object.keys(loaded?.config.agents ?? {}).length;
  results.push({ ...base, status: 'ok', message: `${config.path} (${count} agent${count === 1 ? '' : 's'})` });
  const warnings = loaded?.warnings ?? [];
  if (warnings.length > 0) {
    results.push({
      id: 'config.warnings',
      title: 'Config warnings',
      status: 'warn',
      message: warnings.slice(0, 8).map(formatIssue).join('\n'),
      fix: [editCommand(config.path, first(warnings)?.line)],
    });
  }
  if (count === 0) {
    results.push({ id: 'config.agents', title: 'Agents', status: 'warn', message: 'no agents configured yet', fix: ['agent-dispatch add NAME DIR'] });
  }
  return results;
}
