// Turns zod issues into messages a person can act on: the file, the line of the offending YAML node,
// the key path, and what is allowed. Unknown keys become warnings with a "did you mean" where one is close.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { z } from 'zod';
import { agentSchema, cacheSchema, configSchema, groupSchema, memberSchema, settingsSchema } from './schema.js';
import { closest, preview } from './suggest.js';
import { type ConfigIssue } from './issue.js';

export { formatIssue, type ConfigIssue } from './issue.js';

type Path = readonly PropertyKey[];

// `agents.infra.allowed_tools[0]`; keys that are not plain words are quoted.
export function formatKeyPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(String(seg))) out += out === '' ? String(seg) : `.${String(seg)}`;
    else out += `[${preview(String(seg))}]`;
  }
  return out;
}

// The 1-based line and column of the node at `path` (its key when `atKey`), or of the deepest ancestor found.
// A mapping or list value starts on the line after its key, so a problem with one points at the key.
export function locate(doc: Document, counter: LineCounter, path: Path, atKey = false): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (pair === undefined) break;
      const keyOffset = (pair.key as Node | null)?.range?.[0];
      const valueOffset = (pair.value as Node | null)?.range?.[0];
      const atTheKey = (last && atKey) || isMap(pair.value) || isSeq(pair.value);
      offset = atTheKey ? (keyOffset ?? offset) : (valueOffset ?? keyOffset ?? offset);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const pos = counter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

// The value at `path` in plain data, or undefined.
function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const seg of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[seg];
  }
  return value;
}

// The keys allowed in the object at `path` (for unknown-key warnings).
function allowedKeys(path: Path): string[] {
  const shapes: Record<string, z.ZodObject> = {
    '': configSchema,
    'agents.*': agentSchema,
    'groups.*': groupSchema,
    'groups.*.members.#': memberSchema,
    settings: settingsSchema,
    'settings.cache': cacheSchema,
  };
  const key = path.map((seg, i) => (typeof seg === 'number' ? '#' : i === 1 && (path[0] === 'agents' || path[0] === 'groups') ? '*' : String(seg))).join('.');
  const shape = shapes[key];
  return shape === undefined ? [] : Object.keys(shape.shape);
}

/** A zod issue mapped to the file, split into errors and unknown-key warnings. */
export interface MappedIssues {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

// Map every zod issue onto the YAML document it came from.
export function mapIssues(issues: readonly z.core.$ZodIssue[], data: unknown, doc: Document, counter: LineCounter, file: string): MappedIssues {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const at = (path: Path, atKey: boolean) => ({ file, ...locate(doc, counter, path, atKey), keyPath: formatKeyPath(path) });
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(issue.path);
      for (const key of issue.keys) {
        const guess = closest(key, allowed);
        const help = guess !== undefined ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`;
        warnings.push({ ...at([...issue.path, key], true), message: `unknown key, ignored (${help})` });
      }
    } else if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? issue.message;
      errors.push({ ...at(issue.path, true), message: `invalid name: ${inner}` });
    } else {
      const value = valueAt(data, issue.path);
      const message = value === undefined ? `is required: it ${issue.message}` : `${issue.message} (got ${preview(value)})`;
      // A missing key has no line of its own: point at the key of the mapping that lacks it.
      const where = value === undefined && issue.path.length > 0 ? { ...at(issue.path.slice(0, -1), true), keyPath: formatKeyPath(issue.path) } : at(issue.path, false);
      errors.push({ ...where, message: issue.path.length === 0 ? 'the file must be a mapping with the sections agents, groups and settings' : message });
    }
  }
  return { errors, warnings };
}
