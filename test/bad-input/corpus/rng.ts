/**
 * A seeded pseudo-random generator (mulberry32) so the corpus is the same on every run: a
 * failing case can be re-run by name, and no case depends on Math.random().
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** `n` bytes. */
  bytes(n: number): Uint8Array;
}

/** Creates a generator from a 32-bit seed; equal seeds give equal sequences. */
export function seeded(seed: number): Rng {
  let state = seed >>> 0;
  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function int(min: number, max: number): number {
    return min + Math.floor(next() * (max - min + 1));
  }
  function pick<T>(list: readonly T[]): T {
    const item = list[int(0, list.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
  function bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = int(0, 255);
    return out;
  }
  return { next, int, pick, bytes };
}

/**
 * The `k`-th of `n` shares of a list (every n-th item from k): spreads a list of variants over
 * several sources so each variant runs once, keeping the corpus broad but fast.
 */
export function share<T>(items: readonly T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === ((k % n) + n) % n);
}
