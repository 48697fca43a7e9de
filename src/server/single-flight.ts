// Calls with the same key that overlap in time share one run: a burst of identical read-only requests (1,000
// list_agents at once) costs one scan of each project instead of 1,000 copies of its file heads in memory.

/** A function wrapped so that overlapping calls with one key share one promise. */
export type SingleFlight<K, V> = (key: K, run: () => Promise<V>) => Promise<V>;

// Share the in-flight promise per key; the entry goes as soon as it settles, so nothing is cached past it.
export function singleFlight<K, V>(): SingleFlight<K, V> {
  const inflight = new Map<K, Promise<V>>();
  return (key, run) => {
    const running = inflight.get(key);
    if (running !== undefined) return running;
    const promise = run().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  };
}
