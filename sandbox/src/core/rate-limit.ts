/**
 * Sliding-window rate limiting (a log of accepted request times per key), in memory: limits
 * are about the last few seconds, so losing them when the object restarts is harmless.
 */

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  windowMs: number;
  /** Milliseconds until the oldest counted request leaves the window (0 when none is counted). */
  resetMs: number;
}

/** Keeps, per key, the times of the requests it accepted within the window. */
export class SlidingLimiter {
  private readonly log = new Map<string, number[]>();

  /** Records a request at `now` if the key has room; otherwise refuses it without recording. */
  hit(key: string, limit: number, windowMs: number, now: number): LimitDecision {
    const times = (this.log.get(key) ?? []).filter((t) => t > now - windowMs);
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    this.log.set(key, times);
    const oldest = times[0];
    const resetMs = oldest === undefined ? 0 : Math.max(0, oldest + windowMs - now);
    return { allowed, limit, remaining: Math.max(0, limit - times.length), windowMs, resetMs };
  }

  /** Forgets every key. */
  clear(): void {
    this.log.clear();
  }
}
