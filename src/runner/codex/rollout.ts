// Codex reports a resumed thread's usage cumulatively (all its runs so far). To charge a resumed run only for
// its own tokens, read the thread's total before the run from its rollout file
// ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl, last `token_count` event).
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenUsage } from '../../shared/types.js';
import { asRecord } from '../runtime-support.js';
import { codexUsage } from './events.js';

/** How much of a rollout's end is read looking for the last token count. */
const TAIL_BYTES = 512 * 1024;
const DAY_MS = 86_400_000;

// CODEX_HOME as Codex resolves it: the variable, else ~/.codex.
export function codexHome(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.CODEX_HOME) return env.CODEX_HOME;
  return env.HOME ? join(env.HOME, '.codex') : undefined;
}

// The top-level `model = "…"` of $CODEX_HOME/config.toml (what Codex runs when no -m is given), for pricing.
export function configuredModel(home: string, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): string | undefined {
  let text: string;
  try {
    text = read(join(home, 'config.toml'));
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    if (/^\s*\[/.test(line)) break; // keys after the first table header belong to that table
    const m = /^\s*model\s*=\s*(?:"([^"]+)"|'([^']+)')/.exec(line);
    if (m) return m[1] ?? m[2];
  }
  return undefined;
}

// The creation time in a UUIDv7 (Codex thread ids), or undefined for other UUIDs.
export function uuidV7Time(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7/i.test(id)) return undefined;
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

// The rollout file of a thread: looked up in the date folders around its creation day (local and UTC dates).
export function findRollout(home: string, threadId: string): string | undefined {
  const created = uuidV7Time(threadId);
  const days = new Set<string>();
  for (const t of created === undefined ? [] : [created - DAY_MS, created, created + DAY_MS]) {
    const d = new Date(t);
    days.add(join(String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate())));
    days.add(join(String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())));
  }
  for (const day of days) {
    const dir = join(home, 'sessions', day);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const name = names.find((n) => n.startsWith('rollout-') && n.endsWith(`${threadId}.jsonl`));
    if (name) return join(dir, name);
  }
  return undefined;
}

// The thread's total usage so far, from the last token_count event of its rollout; undefined when unknown.
export function readThreadUsage(home: string, threadId: string): TokenUsage | undefined {
  const file = findRollout(home, threadId);
  if (!file) return undefined;
  let text: string;
  try {
    const size = statSync(file).size;
    const length = Math.min(size, TAIL_BYTES);
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return lastTotal(text);
}

// The `total_token_usage` of the last token_count line in a rollout excerpt.
export function lastTotal(text: string): TokenUsage | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!line.includes('"token_count"')) continue;
    try {
      const info = asRecord(asRecord(asRecord(JSON.parse(line))?.payload)?.info);
      const total = asRecord(info?.total_token_usage);
      if (total) return codexUsage(total);
    } catch {
      // A line cut by the tail read, or not JSON: keep looking.
    }
  }
  return undefined;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
