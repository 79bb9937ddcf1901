/**
 * Sliding-window rate limiting (a log of accepted request times per key). The log is written
 * through to the vendor object's storage: the runtime evicts an object that has been idle a few
 * seconds, and a vendor whose window is a minute must not forget the calls of the last minute.
 */

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  windowMs: number;
  /** Milliseconds until the oldest counted request leaves the window (0 when none is counted). */
  resetMs: number;
}

/** Where a limiter keeps its logs across restarts of its object. */
export interface LimiterStore {
  load(key: string): number[] | undefined;
  save(key: string, times: number[]): void;
}

/** Keeps, per key, the times of the requests it accepted within the window. */
export class SlidingLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(private readonly store?: LimiterStore) {}

  /** Records a request at `now` if the key has room; otherwise refuses it without recording. */
  hit(key: string, limit: number, windowMs: number, now: number): LimitDecision {
    const times = (this.log.get(key) ?? this.store?.load(key) ?? []).filter((t) => t > now - windowMs);
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    this.log.set(key, times);
    this.store?.save(key, times);
    const oldest = times[0];
    const resetMs = oldest === undefined ? 0 : Math.max(0, oldest + windowMs - now);
    return { allowed, limit, remaining: Math.max(0, limit - times.length), windowMs, resetMs };
  }

  /** Forgets every key (the caller clears its store). */
  clear(): void {
    this.log.clear();
  }
}
