// Cache keys: a stable hash of everything that can change a dispatch's answer.
import { createHash } from 'node:crypto';

/** The parts of a request that decide its answer. */
export interface CacheKeyParts {
  agent: string;
  task: string;
  context?: string;
  caller?: string;
  goal?: string;
  group?: string;
  responseFormat?: string;
  /** Hash of the agent's resolved config: a re-pointed or re-permissioned agent never answers from old results. */
  agentFingerprint: string;
  /** Git HEAD and dirty state of the agent directory, when it is a repository. */
  projectState?: string;
}

// Hash the parts in a fixed order; absent and empty fields hash the same.
export function cacheKey(parts: CacheKeyParts): string {
  const ordered = [
    parts.agent,
    parts.task,
    parts.context ?? '',
    parts.caller ?? '',
    parts.goal ?? '',
    parts.group ?? '',
    parts.responseFormat ?? '',
    parts.agentFingerprint,
    parts.projectState ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}

// A short stable hash of any JSON-serialisable value, with object keys sorted.
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, 16);
}

function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
