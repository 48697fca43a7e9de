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
  family: string;
}

/** A TTL-bounded LRU keyed by string, with a tag per entry (the agent name) for targeted invalidation, and a
 *  family (the key without its costly part) so a caller can tell whether a lookup could hit before computing it. */
export class ResultCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly families = new Map<string, number>();
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
    if (!this.enabled) this.clear();
    this.evictOverflow();
  }

  // Return a live entry and mark it most recently used; expired entries count as misses.
  get(key: string): V | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.remove(key, entry);
      this.misses += 1;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits += 1;
    return entry.value;
  }

  // True when some entry of the family may still be live (expired ones count until a lookup drops them).
  hasFamily(family: string): boolean {
    return this.enabled && (this.families.get(family) ?? 0) > 0;
  }

  // Store a value; the least recently used entries go first when full.
  set(key: string, value: V, tag = '', family = ''): void {
    if (!this.enabled || this.maxSize <= 0) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs, tag, family });
    this.families.set(family, (this.families.get(family) ?? 0) + 1);
    this.evictOverflow();
  }

  // Drop every entry with this tag (an agent's config changed or it was removed).
  invalidateTag(tag: string): number {
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.tag === tag) {
        this.remove(key, entry);
        dropped += 1;
      }
    }
    return dropped;
  }

  // Remove everything; returns how many entries were dropped. Counters are kept.
  clear(): number {
    const size = this.entries.size;
    this.entries.clear();
    this.families.clear();
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
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry<V>];
      this.remove(oldest, entry);
      this.evictions += 1;
    }
  }

  private remove(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    const left = (this.families.get(entry.family) ?? 1) - 1;
    if (left > 0) this.families.set(entry.family, left);
    else this.families.delete(entry.family);
  }
}
