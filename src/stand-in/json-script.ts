// A plain-JSON form of a stand-in script, for running the stand-in as its own process (no functions in JSON).
import { fail, turn, type Failure, type Rule, type Turn, type TurnOptions, type Usage } from './script.js';

/** What `scriptFromJson` returns: the options startFakeModel takes. */
export interface JsonScript {
  rules: Rule[];
  defaultReply?: Turn[];
  usage?: Partial<Usage>;
}

const TURN_OPTIONS = ['delayMs', 'chunks', 'chunkBytes', 'chunkDelayMs', 'usage', 'stopReason', 'streamErrorAfter'] as const;

function bad(where: string, message: string): never {
  throw new Error(`stand-in script: ${where}: ${message}`);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toTurn(value: unknown, where: string): Turn {
  if (typeof value === 'string') return turn([value]);
  if (!isObject(value)) bad(where, 'a turn is a string or { "text"?, "tools"?, …options }');
  const tools = value.tools ?? [];
  if (!Array.isArray(tools)) bad(where, '"tools" must be a list of { "name", "input" }');
  const blocks: Array<string | { name: string; input: unknown }> = typeof value.text === 'string' ? [value.text] : [];
  for (const [i, t] of tools.entries()) {
    if (!isObject(t) || typeof t.name !== 'string' || t.name === '') bad(`${where}.tools[${i}]`, 'needs a "name" string');
    blocks.push({ name: t.name, input: isObject(t.input) ? t.input : {} });
  }
  if (blocks.length === 0) bad(where, 'a turn needs "text" or "tools"');
  const options: TurnOptions = {};
  for (const key of TURN_OPTIONS) if (value[key] !== undefined) (options as any)[key] = value[key];
  return turn(blocks, options);
}

function toTurns(value: unknown, where: string): Turn[] {
  return (Array.isArray(value) ? value : [value]).map((v, i) => toTurn(v, `${where}[${i}]`));
}

function toFailure(value: unknown, where: string): Failure {
  if (!isObject(value) || typeof value.status !== 'number') bad(where, 'a failure is { "status": 400..599, "times"?, "retryAfter"? }');
  const { status, ...rest } = value;
  return fail(status, rest);
}

function toMatch(value: unknown, where: string): Rule['match'] {
  if (value === undefined || typeof value === 'string') return value;
  if (isObject(value) && typeof value.regex === 'string') {
    try {
      return new RegExp(value.regex, typeof value.flags === 'string' ? value.flags : '');
    } catch (error) {
      bad(where, `bad regex: ${(error as Error).message}`);
    }
  }
  bad(where, '"match" is a string or { "regex": "...", "flags"?: "i" }');
}

// Validate and convert a parsed JSON script; throws an Error naming the bad entry.
export function scriptFromJson(value: unknown): JsonScript {
  if (!isObject(value)) bad('top level', 'expected an object { "rules": [...], "defaultReply"?, "usage"? }');
  const rawRules = value.rules ?? [];
  if (!Array.isArray(rawRules)) bad('rules', 'must be a list');
  const rules = rawRules.map((r: unknown, i: number): Rule => {
    const where = `rules[${i}]`;
    if (!isObject(r)) bad(where, 'must be an object');
    return {
      ...(typeof r.name === 'string' ? { name: r.name } : {}),
      match: toMatch(r.match, `${where}.match`),
      ...(r.reply !== undefined ? { reply: toTurns(r.reply, `${where}.reply`) } : {}),
      ...(r.fail !== undefined ? { fail: (Array.isArray(r.fail) ? r.fail : [r.fail]).map((f: unknown, j: number) => toFailure(f, `${where}.fail[${j}]`)) } : {}),
      ...(r.repeat === true ? { repeat: true } : {}),
    };
  });
  return {
    rules,
    ...(value.defaultReply !== undefined ? { defaultReply: toTurns(value.defaultReply, 'defaultReply') } : {}),
    ...(isObject(value.usage) ? { usage: value.usage } : {}),
  };
}
