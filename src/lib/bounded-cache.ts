/**
 * Values made once per isolate and kept by key, at most `size` of them: when full, the oldest
 * entry goes first. For what configuration fixes (a secret's key, a signing template), which only
 * changes with a deploy or a rotation, so an old entry simply ages out.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly size: number) {}

  /** The value kept for `key`, made by `make` (and kept) when there is none. */
  get(key: string, make: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const value = make();
    if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value ?? "");
    this.entries.set(key, value);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
