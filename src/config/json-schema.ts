// The JSON Schema for agents.yaml, generated from the zod schema so editors (yaml-language-server, VS Code)
// complete keys and flag mistakes with the same rules the loader applies. Shipped as schema/agents.schema.json.
import { z } from 'zod';
import { configSchema } from './schema.js';

export { JSON_SCHEMA_FILE } from './paths.js';

// The schema of the file as written (input side: defaults are optional), in draft-07, which editors support best.
export function buildJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'agent-dispatch agents.yaml',
    ...schema,
  };
}

// The file's exact text: stable key order, two-space indent, trailing newline.
export function renderJsonSchema(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
