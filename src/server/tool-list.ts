// A compact tools/list: the same names, descriptions, schemas and annotations as the SDK's,
// without the per-schema `$schema` key and the default `execution` block.
import { z } from 'zod';
import type { Tool } from '@modelcontextprotocol/server';
import type { AnyToolDef } from './tool-def.js';

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  delete json.$schema;
  return trim(json) as Record<string, unknown>;
}

// Drop what tells a client nothing: integer bounds that are just the safe range, size limits the server
// enforces with its own message anyway, empty defaults ("", false and 0 mean "not set" in every tool), and `additionalProperties: {}` (the default).
function trim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(trim);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'maxLength') continue;
    if (key === 'default' && (value === '' || value === false || value === 0)) continue;
    if (key === 'additionalProperties' && value && typeof value === 'object' && Object.keys(value).length === 0) continue;
    out[key] = trim(value);
  }
  return out;
}

// The tools/list entries of the given tools (pure).
export function compactToolList(tools: readonly AnyToolDef[]): Tool[] {
  return tools.map((def) => {
    const input = toJsonSchema(def.inputSchema, 'input');
    // A tool without arguments says just `{"type":"object"}`.
    if (Object.keys((input.properties as object | undefined) ?? {}).length === 0) delete input.properties;
    const tool: Tool = { name: def.name, inputSchema: input as Tool['inputSchema'] };
    if (def.title) tool.title = def.title;
    tool.description = def.description;
    if (def.outputSchema) tool.outputSchema = toJsonSchema(def.outputSchema, 'output') as Tool['outputSchema'];
    if (def.annotations) tool.annotations = def.annotations;
    return tool;
  });
}

// One list per tools array for the whole process: HTTP builds a server instance per request and stdio up to two
// per connection, and converting 22 zod schemas costs a few milliseconds each time. The cache holds derived,
// immutable data only.
const lists = new WeakMap<readonly AnyToolDef[], Tool[]>();

// The compact list of `tools`, computed once.
export function toolListOf(tools: readonly AnyToolDef[]): Tool[] {
  let list = lists.get(tools);
  if (!list) lists.set(tools, (list = compactToolList(tools)));
  return list;
}
