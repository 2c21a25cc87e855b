/**
 * A map that keeps at most `capacity` entries, forgetting the least recently used one first. For the per-live
 * caches of the send path (blocked-terms matchers, fast-path hints): a process that serves lives for months
 * sees lives come and go, and an entry of a live nobody writes to any more is only memory. Both caches are
 * shortcuts that the next send rebuilds from the database, so forgetting an entry costs one read, never a
 * wrong answer.
 *
 * A JavaScript Map iterates in insertion order: a hit moves its key to the end (delete + set), so the first
 * key is always the least recently used. Both steps are O(1); no extra work on the send path beyond that.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`LRU capacity must be ≥ 1, got ${capacity}`);
  }

  get size() {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
