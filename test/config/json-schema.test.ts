import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema, JSON_SCHEMA_FILE, renderJsonSchema } from '../../src/config/json-schema.js';
import { PERMISSION_MODES } from '../../src/shared/types.js';

const shipped = join(import.meta.dirname, '..', '..', JSON_SCHEMA_FILE);

describe('the shipped JSON Schema', () => {
  it('matches the zod schema (run `npm run schema` after changing src/config/schema.ts)', () => {
    expect(readFileSync(shipped, 'utf8')).toBe(renderJsonSchema());
  });

  it('describes every section and key, with the allowed values', () => {
    const schema = buildJsonSchema() as any;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties)).toEqual(['agents', 'groups', 'settings']);
    const agent = schema.properties.agents.additionalProperties;
    expect(agent.required).toEqual(['directory']);
    expect(agent.additionalProperties).toBe(false);
    expect(agent.properties.permission_mode.enum).toEqual([...PERMISSION_MODES]);
    expect(agent.properties.runtime).toMatchObject({ default: 'claude', enum: ['claude', 'codex', 'gemini', 'opencode'] });
    expect(schema.properties.agents.propertyNames.pattern).toBe('^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$');
    expect(Object.keys(schema.properties.settings.properties)).toEqual(expect.arrayContaining(['max_dispatch_depth', 'max_concurrency', 'job_retention_days', 'cache', 'max_output_bytes', 'daily_budget_usd']));
    expect(schema.properties.settings.properties.cache.properties.ttl.default).toBe(300);
    for (const [key, value] of Object.entries(agent.properties)) expect((value as { description?: string }).description, key).toBeTruthy();
  });
});
