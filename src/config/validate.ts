// Input rules shared by the CLI (`add`/`update`/`group`) and the MCP tools (`add_agent`/`update_agent`):
// names, comma-separated lists, "none" to clear, numbers, and directories. All pure except checkDirectory.
import { resolve } from 'node:path';
import type { z } from 'zod';
import { checkDirectory } from './directory.js';
import { DispatchError } from '../shared/errors.js';
import { remoteDirectoryProblem } from '../shared/ssh.js';
import { expandHome } from './paths.js';
import type { GroupInput, GroupPatch } from './edit.js';
import { agentSchema, groupSchema, NAME_PATTERN, type AgentKey, type GroupMember } from './schema.js';
import { preview } from './suggest.js';

// The directory check lives in directory.ts (no schema, for health checks); here with the other input rules.
export { checkDirectory };

/** Values accepted for one agent key when writing (the file's input types). */
export type AgentValues = { [K in AgentKey]?: Exclude<z.input<(typeof agentSchema.shape)[K]>, undefined> };
/** A change to an agent: a value sets the key, `null` removes it (back to the default). */
export type AgentPatch = { [K in AgentKey]?: AgentValues[K] | null };
/** A new agent: a directory plus any other keys. */
export type AgentInput = AgentValues & { directory: string };

/** Agent options as they arrive from a command line or a tool call: text, or numbers for numeric keys. */
export interface AgentOptionValues {
  directory?: string;
  description?: string;
  runtime?: string;
  timeout?: string | number;
  model?: string;
  max_budget_usd?: string | number;
  daily_budget_usd?: string | number;
  permission_mode?: string;
  allowed_tools?: string | string[];
  disallowed_tools?: string | string[];
  capabilities?: string | string[];
  risky_capabilities?: string | string[];
  /** SSH destination; the directory is then a path on that host and is kept as written. */
  host?: string;
  /** ask | deny: whether the agent's permission requests come to the caller. */
  approvals?: string;
  approval_timeout?: string | number;
}

const NUMERIC = new Set<keyof AgentOptionValues>(['timeout', 'max_budget_usd', 'daily_budget_usd', 'approval_timeout']);
const LISTS = new Set<keyof AgentOptionValues>(['allowed_tools', 'disallowed_tools', 'capabilities', 'risky_capabilities']);

const invalid = (message: string, hint?: string) => new DispatchError('INVALID_INPUT', message, hint === undefined ? {} : { hint });

// Why a name is not allowed, in words, or undefined when it is fine.
function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 64) return `it is ${name.length} characters long (the limit is 64)`;
  if (/[\uD800-\uDFFF]/.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) return 'it contains a broken (unpaired UTF-16 surrogate) character';
  if (name.startsWith('-')) return 'it starts with "-", which would read as an option';
  if (name === '.' || name === '..' || /^[\w.~-]*[/\\][\w./\\~-]*$/.test(name)) return 'it looks like a path';
  if (NAME_PATTERN.test(name)) return undefined;
  const bad = [...name].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? name[0];
  return bad === ' ' ? 'it contains a space' : `it contains ${preview(bad)}`;
}

// Check an agent or group name: letters, digits, "-", "_", starting with a letter or digit, at most 64 characters.
export function validateName(kind: 'agent' | 'group', name: string): string {
  const problem = nameProblem(name);
  if (problem === undefined) return name;
  throw invalid(`Invalid ${kind} name ${preview(name)}: ${problem}.`, `Use letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters (e.g. "my-api").`);
}

// Split "Read, Grep,Bash(git log:*)" on commas outside parentheses; trims items and drops empty and repeated ones.
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return [...new Set(items.map((s) => s.trim()).filter((s) => s !== ''))];
}

// "~/x" and relative paths become absolute (against `cwd`); rejects empty paths and NUL bytes.
export function resolveDirectoryInput(input: string, { cwd, homedir }: { cwd: string; homedir: string }): string {
  if (input.trim() === '') throw invalid('The directory is empty.', 'Pass the path of an existing project directory.');
  if (input.includes('\0')) throw invalid('The directory path contains a NUL byte.', 'Pass a plain path.');
  if (input.length > 4096) throw invalid(`The directory path is ${input.length} characters long (the limit is 4096).`);
  return resolve(cwd, expandHome(input, homedir));
}


// Parse a number given as text ("1.5") or as a number.
function toNumber(key: string, raw: string | number): number {
  if (typeof raw === 'number') return raw;
  const text = raw.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw invalid(`Invalid ${key}: expected a number, got ${preview(raw)}.`);
  return Number(text);
}

// Validate one value with the schema's own rule for that key, so CLI, MCP and file share one definition.
export function checkAgentValue<K extends AgentKey>(key: K, value: unknown): AgentValues[K] {
  const result = agentSchema.shape[key].safeParse(value);
  if (!result.success) throw invalid(`Invalid ${key}: ${result.error.issues[0]?.message ?? 'not allowed'} (got ${preview(value)}).`);
  return value as AgentValues[K];
}

// A directory on an agent's remote host: kept as written (it means nothing here), but absolute or under ~/.
export function checkRemoteDirectory(input: string): string {
  const problem = remoteDirectoryProblem(input.trim());
  if (problem !== undefined) throw invalid(`Invalid remote directory ${preview(input)}: ${problem}.`, 'Pass the path as the remote host sees it, e.g. /srv/api or ~/projects/api.');
  return input.trim();
}

// Turn text options into a patch. `add`: "none" is refused. `update`: "none" clears the key. Empty text means "not given".
// `remote`: the agent already runs on a host, so a new directory is a remote path (a `host` value implies it too).
export function parseAgentOptions(
  values: AgentOptionValues,
  { mode, cwd, homedir, remote = false }: { mode: 'add' | 'update'; cwd: string; homedir: string; remote?: boolean },
): AgentPatch {
  const patch: Record<string, unknown> = {};
  const host = typeof values.host === 'string' ? values.host.trim() : '';
  const onHost = host !== '' && host.toLowerCase() !== 'none' ? true : host.toLowerCase() === 'none' ? false : remote;
  for (const [key, raw] of Object.entries(values) as [keyof AgentOptionValues, string | number | string[] | undefined][]) {
    if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) continue;
    if (typeof raw === 'string' && raw.trim().toLowerCase() === 'none') {
      if (mode === 'add') throw invalid(`"none" clears ${key} in update; when adding an agent, leave the option out instead.`);
      if (key === 'directory') throw invalid('The directory cannot be cleared.', 'Pass a new directory, or remove the agent.');
      patch[key] = null;
      continue;
    }
    let value: unknown = raw;
    if (key === 'directory') value = onHost ? checkRemoteDirectory(String(raw)) : resolveDirectoryInput(String(raw), { cwd, homedir });
    else if (NUMERIC.has(key)) value = toNumber(key, raw as string | number);
    else if (LISTS.has(key)) {
      value = Array.isArray(raw) ? [...new Set(raw.map((s) => s.trim()).filter((s) => s !== ''))] : splitList(String(raw));
      if ((value as string[]).length === 0) throw invalid(`No ${key} given in ${preview(raw)}.`, mode === 'update' ? `To clear ${key}, pass "none".` : undefined);
    } else value = String(raw).trim();
    patch[key] = checkAgentValue(key, value);
  }
  return patch as AgentPatch;
}

// Parse a group member given as "agent" or "agent:use_for".
export function parseMember(spec: string): GroupMember {
  const at = spec.indexOf(':');
  const agent = validateName('agent', (at === -1 ? spec : spec.slice(0, at)).trim());
  const useFor = at === -1 ? '' : spec.slice(at + 1).trim();
  return useFor === '' ? { agent } : { agent, use_for: useFor };
}

// Options for a new agent: like parseAgentOptions in add mode, but the directory is required and checked on disk.
export function parseNewAgent(values: AgentOptionValues & { directory: string }, where: { cwd: string; homedir: string }): AgentInput {
  const patch = parseAgentOptions(values, { mode: 'add', ...where }) as AgentInput;
  if (patch.directory === undefined) throw invalid('The directory is empty.', 'Pass the path of an existing project directory.');
  // A remote directory is checked on its host by the caller (config/ never spawns ssh).
  if (patch.host === undefined) checkDirectory(patch.directory);
  return patch;
}

/** Group options as text: description, shared context, and member specs "agent[:use_for]". */
export interface GroupOptionValues {
  description?: string;
  shared_context?: string;
  members?: string[];
  add_members?: string[];
  remove_members?: string[];
}

// Turn group options into a patch (update: "none" clears a text field) or a new group (add: "none" is refused).
export function parseGroupOptions(values: GroupOptionValues, mode: 'add'): GroupInput;
export function parseGroupOptions(values: GroupOptionValues, mode: 'update'): GroupPatch;
export function parseGroupOptions(values: GroupOptionValues, mode: 'add' | 'update'): GroupPatch | GroupInput {
  const out: GroupPatch = {};
  for (const key of ['description', 'shared_context'] as const) {
    const raw = values[key];
    if (raw === undefined || raw.trim() === '') continue;
    if (raw.trim().toLowerCase() === 'none') {
      if (mode === 'add') throw invalid(`"none" clears ${key} in update; when adding a group, leave the option out instead.`);
      out[key] = null;
      continue;
    }
    const result = groupSchema.shape[key].safeParse(raw);
    if (!result.success) throw invalid(`Invalid ${key}: ${result.error.issues[0]?.message ?? 'not allowed'}.`);
    out[key] = key === 'description' ? raw.trim() : raw;
  }
  if (values.members !== undefined) out.members = values.members.map(parseMember);
  if (values.add_members !== undefined) out.addMembers = values.add_members.map(parseMember);
  if (values.remove_members !== undefined) out.removeMembers = values.remove_members.map((m) => validateName('agent', m.trim()));
  return out;
}
