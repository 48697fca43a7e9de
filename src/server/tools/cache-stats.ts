// `cache_stats`: the result cache's size, hits, misses and hit rate.
import { defineTool } from '../tool-def.js';
import { z } from 'zod';
import { toolResult } from '../results.js';

/** Tool name. */
export const name = 'cache_stats';

// `cache_stats` as data.
export const tool = defineTool({
  name,
  description: 'Dispatch cache: size, hits, misses, hit rate, TTL.',
  inputSchema: z.object({}),
  outputSchema: z.looseObject({ size: z.number(), hit_rate: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  handler: async (_args, { deps }) => {
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
  },
});
