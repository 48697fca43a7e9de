// A compact tools/list: the same names, descriptions, schemas and annotations as the SDK's,
// without the per-schema `$schema` key and the default `execution` block.
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

type Shape = Record<string, z.ZodType>;

/** What registerTool was called with, minus the handler. */
export interface ToolRecord {
  name: string;
  config: { title?: string; description?: string; inputSchema?: Shape | z.ZodType; outputSchema?: Shape | z.ZodType; annotations?: Tool['annotations'] };
}

// Record every tool registered on `server` from now on (the SDK keeps its registry private).
export function recordTools(server: McpServer): ToolRecord[] {
  const records: ToolRecord[] = [];
  const register = server.registerTool.bind(server) as (...args: unknown[]) => unknown;
  (server as { registerTool: unknown }).registerTool = (name: string, config: ToolRecord['config'], cb: unknown) => {
    records.push({ name, config });
    return register(name, config, cb);
  };
  return records;
}

function toJsonSchema(schema: Shape | z.ZodType | undefined, io: 'input' | 'output'): Record<string, unknown> {
  if (!schema) return { type: 'object' };
  const object = schema instanceof z.ZodType ? schema : z.object(schema);
  const json = z.toJSONSchema(object, { io, unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
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

// The tools/list entries for the recorded tools.
export function compactToolList(records: ToolRecord[]): Tool[] {
  return records.map(({ name, config }) => {
    const tool: Tool = { name, inputSchema: toJsonSchema(config.inputSchema, 'input') as Tool['inputSchema'] };
    if (config.title) tool.title = config.title;
    if (config.description) tool.description = config.description;
    if (config.outputSchema) tool.outputSchema = toJsonSchema(config.outputSchema, 'output') as Tool['outputSchema'];
    if (config.annotations) tool.annotations = config.annotations;
    return tool;
  });
}
