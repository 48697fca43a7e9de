// An in-memory LRU with a TTL, for dispatch results. Pure: the clock is injected.

/** Counters reported by `cache_stats`. */
export interface CacheStats {
  enabled: boolean;
  size: number;
  maxSize: number;
  ttlSeconds: number;
  hits: number;
  misses: number;
  hitRate: number;
  evictions: number;
}

/** The cache's settings (from `settings.cache`). */
export interface CacheOptions {
  enabled?: boolean;
  ttlSeconds?: number;
  maxSize?: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  tag: string;
}

/** A TTL-bounded LRU keyed by string, with a tag per entry (the agent name) for targeted invalidation. */
export class ResultCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private enabled: boolean;
  private ttlMs: number;
  private maxSize: number;
  private readonly now: () => number;

  constructor(options: CacheOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.maxSize = options.maxSize ?? 1000;
    this.now = options.now ?? Date.now;
  }

  // Apply new settings (the config may change while the server runs); shrinks at once if needed.
  configure(options: Omit<CacheOptions, 'now'>): void {
    if (options.enabled !== undefined) this.enabled = options.enabled;
    if (options.ttlSeconds !== undefined) this.ttlMs = options.ttlSeconds * 1000;
    if (options.maxSize !== undefined) this.maxSize = options.maxSize;
    if (!this.enabled) this.entries.clear();
    this.evictOverflow();
  }

  // Return a live entry and mark it most recently used; expired entries count as misses.
  get(key: string): V | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.entries.delete(key);
      this.misses += 1;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits += 1;
    return entry.value;
  }

  // Store a value; the least recently used entries go first when full.
  set(key: string, value: V, tag = ''): void {
    if (!this.enabled || this.maxSize <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs, tag });
    this.evictOverflow();
  }

  // Drop every entry with this tag (an agent's config changed or it was removed).
  invalidateTag(tag: string): number {
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.tag === tag) {
        this.entries.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  // Remove everything; returns how many entries were dropped. Counters are kept.
  clear(): number {
    const size = this.entries.size;
    this.entries.clear();
    return size;
  }

  // Current counters.
  stats(): CacheStats {
    const lookups = this.hits + this.misses;
    return {
      enabled: this.enabled,
      size: this.entries.size,
      maxSize: this.maxSize,
      ttlSeconds: this.ttlMs / 1000,
      hits: this.hits,
      misses: this.misses,
      hitRate: lookups === 0 ? 0 : this.hits / lookups,
      evictions: this.evictions,
    };
  }

  private evictOverflow(): void {
    while (this.entries.size > Math.max(0, this.maxSize)) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evictions += 1;
    }
  }
}
