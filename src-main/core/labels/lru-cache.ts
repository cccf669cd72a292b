/**
 * A few expensive values kept in memory, least recently used out first, within a byte budget
 * and a count. Values are held as promises, so callers asking for one key at once share one
 * load; a load that fails is forgotten, so the next call tries again.
 */
export interface LruCache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  /** Drops a held value (found stale by the caller). */
  forget(key: string): void;
  /** How many values are held (for tests). */
  readonly size: number;
}

export function createLruCache<T>(options: {
  maxBytes: number;
  maxEntries: number;
  sizeOf: (value: T) => number;
}): LruCache<T> {
  const entries = new Map<string, Promise<T>>();
  const bytes = new Map<string, number>();

  function evict(keep: string): void {
    let total = [...bytes.values()].reduce((a, b) => a + b, 0);
    // Map order is insertion order, refreshed on each hit: the first keys are the stalest.
    for (const key of entries.keys()) {
      if (key === keep) continue;
      if (total <= options.maxBytes && entries.size <= options.maxEntries) break;
      total -= bytes.get(key) ?? 0;
      entries.delete(key);
      bytes.delete(key);
    }
  }

  return {
    get(key, load) {
      const held = entries.get(key);
      if (held !== undefined) {
        entries.delete(key);
        entries.set(key, held);
        return held;
      }
      const pending = load();
      entries.set(key, pending);
      pending.then(
        (value) => {
          if (entries.get(key) !== pending) return;
          const size = options.sizeOf(value);
          // One value over the whole budget would push out everything else: not kept.
          if (size > options.maxBytes) {
            entries.delete(key);
            return;
          }
          bytes.set(key, size);
          evict(key);
        },
        () => {
          if (entries.get(key) === pending) entries.delete(key);
        },
      );
      return pending;
    },
    forget(key) {
      entries.delete(key);
      bytes.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
