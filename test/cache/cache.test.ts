import { describe, expect, it } from 'vitest';
import { ResultCache } from '../../src/cache/cache.js';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('ResultCache', () => {
  it('returns a stored value until its TTL passes', () => {
    const c = clock();
    const cache = new ResultCache<string>({ ttlSeconds: 10, now: c.now });
    cache.set('k', 'v');
    expect(cache.get('k')).toBe('v');
    c.advance(9_999);
    expect(cache.get('k')).toBe('v');
    c.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, size: 0 });
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new ResultCache<number>({ maxSize: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.stats().evictions).toBe(1);
  });

  it('drops only the entries of one tag on invalidation', () => {
    const cache = new ResultCache<number>();
    cache.set('a1', 1, 'alpha');
    cache.set('a2', 2, 'alpha');
    cache.set('b1', 3, 'beta');
    expect(cache.invalidateTag('alpha')).toBe(2);
    expect(cache.get('b1')).toBe(3);
    expect(cache.stats().size).toBe(1);
  });

  it('stores and returns nothing while disabled', () => {
    const cache = new ResultCache<number>({ enabled: false });
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ enabled: false, size: 0, hits: 0, misses: 0 });
  });

  it('shrinks at once when reconfigured with a smaller size', () => {
    const cache = new ResultCache<number>({ maxSize: 5 });
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, 1);
    cache.configure({ maxSize: 2 });
    expect(cache.stats().size).toBe(2);
    expect(cache.get('d')).toBe(1);
  });

  it('tells whether any entry of a family is held, through replacement, eviction, invalidation and clear', () => {
    const cache = new ResultCache<string>({ maxSize: 2 });
    expect(cache.hasFamily('f')).toBe(false);
    cache.set('k1', 'v', 'api', 'f');
    cache.set('k1', 'w', 'api', 'f');
    cache.set('k2', 'v', 'web', 'g');
    expect([cache.hasFamily('f'), cache.hasFamily('g')]).toEqual([true, true]);
    cache.set('k3', 'v', 'web', 'h');
    expect(cache.hasFamily('f')).toBe(false);
    cache.invalidateTag('web');
    expect([cache.hasFamily('g'), cache.hasFamily('h')]).toEqual([false, false]);
    cache.set('k4', 'v', 'api', 'f');
    cache.clear();
    expect(cache.hasFamily('f')).toBe(false);
  });

  it('reports the hit rate as hits over lookups', () => {
    const cache = new ResultCache<number>();
    cache.set('a', 1);
    cache.get('a');
    cache.get('a');
    cache.get('a');
    cache.get('zzz');
    expect(cache.stats().hitRate).toBe(0.75);
  });
});
