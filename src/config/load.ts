// Read and validate agents.yaml. Parsing is YAML 1.1, as the reference's PyYAML reads it (`enabled: yes` is true),
// so a file written for the reference means the same thing here.
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { DispatchError } from '../shared/errors.js';
import { formatIssue, locate, mapIssues, type ConfigIssue } from './issues.js';
import { expandHome } from './paths.js';
import { readConfigText } from './read.js';
import { configSchema, emptyConfig, type Config } from './schema.js';

/** A parsed config and the warnings (unknown keys, dangling group members) found on the way. */
export interface LoadedConfig {
  config: Config;
  warnings: ConfigIssue[];
}

/** The config file could not be read as a valid config; `issues` holds every located problem. */
export class ConfigInvalidError extends DispatchError {
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    const shown = issues.slice(0, 12).map((i) => `  ${formatIssue(i)}`);
    if (issues.length > shown.length) shown.push(`  … and ${issues.length - shown.length} more`);
    super('CONFIG_INVALID', `Invalid config file ${file}:\n${shown.join('\n')}`, {
      hint: `Fix the lines above by hand; agent-dispatch changes nothing in a file it cannot read. Allowed keys are in schema/agents.schema.json.`,
    });
    this.name = 'ConfigInvalidError';
    this.issues = issues;
  }
}

/** Options for parsing: the file name for messages and the home directory for `~`. */
export interface ParseOptions {
  file: string;
  homedir: string;
}

// YAML `key:` with no value is null; the reference treats it as unset, and so do we.
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
  return out;
}

// Parse YAML text into a Document with positions; throws ConfigInvalidError on a syntax error.
export function parseYaml(text: string, file: string): { doc: Document; counter: LineCounter } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: counter, keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new ConfigInvalidError(
      file,
      doc.errors.map((e) => ({
        file,
        ...errorPosition(text, counter, e),
        keyPath: '',
        message: `YAML syntax error: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  }
  return { doc, counter };
}

// Where a syntax error is. The parser notices a missing closing quote only where the file ends (or the next
// quote is), so that error points at the opening quote instead: the line to fix.
function errorPosition(text: string, counter: LineCounter, error: YAMLError): { line?: number; column?: number } {
  const at = error.linePos?.[0];
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (quote !== undefined) {
    const open = Math.max(text.lastIndexOf(`: ${quote}`, error.pos[0]), text.lastIndexOf(`- ${quote}`, error.pos[0]));
    if (open >= 0) {
      const pos = counter.linePos(open + 2);
      return { line: pos.line, column: pos.col };
    }
  }
  return at ? { line: at.line, column: at.col } : {};
}

// Validate a parsed Document against the schema. Pure; throws ConfigInvalidError listing every problem.
export function validateDocument(doc: Document, counter: LineCounter, { file, homedir }: ParseOptions): LoadedConfig {
  if (doc.contents === null) return { config: emptyConfig(), warnings: [] };
  let data: unknown;
  try {
    data = dropNulls(doc.toJS({ maxAliasCount: 100 }));
  } catch (error) {
    throw new ConfigInvalidError(file, [{ file, keyPath: '', message: `YAML error: ${(error as Error).message}` }]);
  }
  const strict = configSchema.safeParse(data);
  const { errors, warnings } = strict.success ? { errors: [], warnings: [] } : mapIssues(strict.error.issues, data, doc, counter, file);
  if (errors.length > 0) throw new ConfigInvalidError(file, errors);
  // Only unknown keys failed: parse again without them, so they are reported but never break a load.
  const parsed = strict.success ? strict.data : configSchema.parse(stripUnknown(data, strict.error.issues));
  const base = dirname(file);
  // A remote agent's directory is a path on its host: neither `~` nor a relative path means anything here.
  for (const agent of Object.values(parsed.agents)) if (agent.host === undefined) agent.directory = resolve(base, expandHome(agent.directory, homedir));
  for (const [name, group] of Object.entries(parsed.groups)) {
    group.members.forEach((m, i) => {
      if (!(m.agent in parsed.agents)) {
        const pos = locate(doc, counter, ['groups', name, 'members', i, 'agent']);
        warnings.push({ file, ...pos, keyPath: `groups.${name}.members[${i}].agent`, message: `"${m.agent}" is not a configured agent` });
      }
    });
  }
  return { config: parsed, warnings };
}

// Remove the keys zod reported as unrecognized from a copy of the data.
function stripUnknown(data: unknown, issues: readonly { code: string; path: PropertyKey[]; keys?: string[] }[]): unknown {
  const copy = structuredClone(data) as Record<PropertyKey, unknown>;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let target: unknown = copy;
    for (const seg of issue.path) target = (target as Record<PropertyKey, unknown>)[seg];
    for (const key of issue.keys ?? []) delete (target as Record<string, unknown>)[key];
  }
  return copy;
}

// Parse and validate config text. Pure apart from nothing: the caller supplies the file name and home directory.
export function parseConfigText(text: string, options: ParseOptions): LoadedConfig {
  const { doc, counter } = parseYaml(text, options.file);
  return validateDocument(doc, counter, options);
}

// Read the config file; a missing file is an empty config.
export function readConfigFile(path: string, homedir: string): LoadedConfig {
  const text = readConfigText(path);
  if (text === undefined) return { config: emptyConfig(), warnings: [] };
  return parseConfigText(text, { file: path, homedir });
}
