// `cache_stats`: the result cache's size, hits, misses and hit rate.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ServerDeps } from '../deps.js';
import { guarded, toolResult } from '../results.js';

/** Tool name. */
export const name = 'cache_stats';

// Register `cache_stats`.
export function registerCacheStats(server: McpServer, deps: ServerDeps): void {
  server.registerTool(
    name,
    {
      description: 'Dispatch cache: size, hits, misses, hit rate, TTL.',
      outputSchema: z.looseObject({ size: z.number(), hit_rate: z.number() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(deps.logger, async () => {
      const s = deps.dispatcher.cacheStats();
      return toolResult({
        enabled: s.enabled,
        size: s.size,
        max_size: s.maxSize,
        ttl_seconds: s.ttlSeconds,
        hits: s.hits,
        misses: s.misses,
        hit_rate: Math.round(s.hitRate * 1000) / 1000,
        evictions: s.evictions,
      });
    }),
  );
}
