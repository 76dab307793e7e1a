// A bounded map from a string key to a computed value, least recently used dropped first. Used where
// a value is a pure function of its key, so a hit is provably the value a recomputation would give.

export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value for key, computing (and keeping) it with compute(key) on a miss. */
  get(key: string, compute: (key: string) => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit as V);
      return hit as V;
    }
    const value = compute(key);
    if (this.maxEntries <= 0) return value;
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
