/**
 * A small in-process LRU whose entries expire after a fixed time. Loads that race an invalidation are dropped:
 * take `version()` before reading the database and pass it to `set`, and a `delete`/`clear` that happened in
 * between (a logout, a deactivation) keeps the value read before it out of the cache.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private epoch = 0;
  private on = true;

  constructor(private readonly opts: { ttlMs: number; max: number; now?: () => number }) {}

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  get size(): number {
    return this.entries.size;
  }

  get enabled(): boolean {
    return this.on;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last, so eviction takes the first key.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** The token to pass to `set` for a value about to be loaded. */
  version(): number {
    return this.epoch;
  }

  /** Stores the value unless the cache is off or was invalidated since `version` was taken. */
  set(key: string, value: V, version = this.epoch): void {
    if (!this.on || version !== this.epoch) return;
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.now() + this.opts.ttlMs });
    if (this.entries.size > this.opts.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.epoch++;
    this.entries.delete(key);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  /** Off: empty, and nothing is stored until it is turned on again. */
  setEnabled(on: boolean): void {
    this.on = on;
    this.clear();
  }
}
