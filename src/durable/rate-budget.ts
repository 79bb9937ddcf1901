/**
 * The rate-limit budget of one vendor connection, as pure state transitions so the rules can be
 * tested without a Durable Object. Several sliding windows at once (QuickBooks: 500/min and
 * 10/s), a cap on requests in flight, and a pause the vendor can impose (429 Retry-After, or
 * X-RateLimit-Remaining: 0 until the reset).
 */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface Limits {
  windows: WindowLimit[];
  maxInFlight?: number;
  /**
   * Fraction of each published limit the hub allows itself. Grants are timed here, arrivals
   * are counted at the vendor; the margin absorbs network jitter so the vendor never sees a burst.
   */
  safety?: number;
}

export interface BudgetState {
  grants: number[]; // grant times (ms), oldest first, pruned to the longest window
  inFlight: number;
  pausedUntil: number;
}

export function emptyBudget(): BudgetState {
  return { grants: [], inFlight: 0, pausedUntil: 0 };
}

function allowed(w: WindowLimit, safety: number): number {
  return Math.max(1, Math.floor(w.limit * safety));
}

/**
 * How long until one more request may start, 0 if it may start now. Looks at every window: the
 * wait is until the grant that would fall out of the fullest window has aged past it.
 */
export function waitFor(state: BudgetState, limits: Limits, now: number): number {
  const safety = limits.safety ?? 0.95;
  let wait = Math.max(0, state.pausedUntil - now);
  if (limits.maxInFlight !== undefined && state.inFlight >= limits.maxInFlight) wait = Math.max(wait, 50);
  for (const w of limits.windows) {
    const max = allowed(w, safety);
    const inWindow = countSince(state.grants, now - w.windowMs);
    if (inWindow >= max) {
      // The (inWindow - max + 1)-th oldest grant inside the window must expire first.
      const idx = state.grants.length - inWindow + (inWindow - max);
      const t = state.grants[idx] ?? now;
      wait = Math.max(wait, t + w.windowMs - now + 1);
    }
  }
  return wait;
}

function countSince(grants: number[], since: number): number {
  // grants are sorted; binary search for the first grant > since
  let lo = 0;
  let hi = grants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((grants[mid] ?? 0) > since) hi = mid;
    else lo = mid + 1;
  }
  return grants.length - lo;
}

/** Records a grant made at `now` and drops grants older than the longest window. */
export function grant(state: BudgetState, limits: Limits, now: number): BudgetState {
  const longest = Math.max(0, ...limits.windows.map((w) => w.windowMs));
  const since = now - longest;
  const grants = state.grants.filter((t) => t > since);
  grants.push(now);
  return { ...state, grants, inFlight: state.inFlight + 1 };
}

/** What the vendor said about its limits in one response. */
export interface Observation {
  status?: number;
  retryAfterMs?: number;
  remaining?: number;
  resetMs?: number; // ms from now until the vendor's window resets
}

/** Ends a request: frees its in-flight slot and applies what the vendor told us. */
export function observe(state: BudgetState, obs: Observation, now: number): BudgetState {
  let pausedUntil = state.pausedUntil;
  if (obs.status === 429) pausedUntil = Math.max(pausedUntil, now + (obs.retryAfterMs ?? 1_000));
  if (obs.remaining !== undefined && obs.remaining <= 0 && obs.resetMs !== undefined) {
    pausedUntil = Math.max(pausedUntil, now + obs.resetMs);
  }
  return { ...state, inFlight: Math.max(0, state.inFlight - 1), pausedUntil };
}
