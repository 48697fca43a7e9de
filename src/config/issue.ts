// One located problem in agents.yaml and its printed form, apart from issues.ts (which maps zod's issues and
// loads the YAML and schema modules) so that printing a cached config's warnings loads neither.

/** One problem in the config file, located. */
export interface ConfigIssue {
  file: string;
  /** 1-based; absent when the position is unknown. */
  line?: number;
  column?: number;
  /** Dotted key path, e.g. `agents.infra.timeout`; empty for the whole file. */
  keyPath: string;
  message: string;
}

// `file:line:col: key.path: message`, the form editors and terminals link to.
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.keyPath === '' ? `${where}: ${issue.message}` : `${where}: ${issue.keyPath}: ${issue.message}`;
}
