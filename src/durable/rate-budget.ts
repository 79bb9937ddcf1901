/**
 * The rate-limit budget of one vendor connection, as pure state transitions so the rules can be
 * tested without a Durable Object. Several sliding windows at once (QuickBooks: 500/min and
 * 10/s), a cap on requests in flight, and a pause the vendor can impose (429 Retry-After, or
 * X-RateLimit-Remaining: 0 until the reset).
 *
 * Permits are scheduled, not polled: a caller is given the earliest free slot and waits for it,
 * so no slot is lost between polls and waiters never stampede. Once a window holds half its
 * share, further slots are spaced at least W/L apart: a whole window's budget spent at one
 * instant, followed by the next burst the moment it ages out, would reach the vendor overlapped
 * by network jitter and draw 429s. Spaced, the jitter of a few slots fits in the safety margin,
 * while a quiet connection still answers a short burst at once.
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
  grants: number[]; // slot times (ms) granted, oldest first (future ones are reserved)
  inFlight: number;
  pausedUntil: number;
}

export function emptyBudget(): BudgetState {
  return { grants: [], inFlight: 0, pausedUntil: 0 };
}

function allowed(w: WindowLimit, safety: number): number {
  return Math.max(1, Math.floor(w.limit * safety));
}

/** Slots in `grants` (sorted) after `since`. */
function countAfter(grants: number[], since: number): number {
  let lo = 0;
  let hi = grants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((grants[mid] ?? 0) > since) hi = mid;
    else lo = mid + 1;
  }
  return grants.length - lo;
}

/**
 * The earliest time at or after `now` when one more request may start: after any pause, where
 * no window would hold more than its share, and, in a window at least half full, one W/L after
 * the latest slot.
 */
export function nextSlot(state: BudgetState, limits: Limits, now: number): number {
  const safety = limits.safety ?? 0.95;
  const grants = state.grants;
  const latest = grants.length ? (grants[grants.length - 1] ?? 0) : -Infinity;
  let t = Math.max(now, state.pausedUntil);
  // Each rule only pushes the slot later, and a later slot only empties windows: this settles.
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of limits.windows) {
      const max = allowed(w, safety);
      const inWindow = countAfter(grants, t - w.windowMs);
      if (inWindow >= max) {
        // The max-th most recent slot must leave the window (t - windowMs, t] first.
        t = (grants[grants.length - max] ?? t) + w.windowMs;
        changed = true;
      } else if (inWindow >= Math.floor(max / 2) && latest + w.windowMs / w.limit > t) {
        t = latest + w.windowMs / w.limit;
        changed = true;
      }
    }
  }
  return Math.ceil(t);
}

/** A caller's answer: the slot it may take, or how long until it could ask with hope. */
export type Decision = { grant: true; at: number } | { grant: false; waitMs: number };

/**
 * Whether a caller willing to wait `maxWaitMs` gets a slot, and when. With a cap on requests in
 * flight that is reached, a short poll: slots free when requests end, not at a known time.
 */
export function decide(state: BudgetState, limits: Limits, now: number, maxWaitMs: number): Decision {
  if (limits.maxInFlight !== undefined && state.inFlight >= limits.maxInFlight) return { grant: false, waitMs: Math.max(50, state.pausedUntil - now) };
  const at = nextSlot(state, limits, now);
  return at - now <= maxWaitMs ? { grant: true, at } : { grant: false, waitMs: at - now };
}

/** How long until one more request may start, 0 if it may start now. */
export function waitFor(state: BudgetState, limits: Limits, now: number): number {
  const d = decide(state, limits, now, 0);
  return d.grant ? 0 : d.waitMs;
}

/** Reserves the slot at `at` (from nextSlot) and drops slots older than the longest window. */
export function grant(state: BudgetState, limits: Limits, at: number, now: number = at): BudgetState {
  const longest = Math.max(0, ...limits.windows.map((w) => w.windowMs));
  const since = now - longest;
  const grants = state.grants.filter((t) => t > since);
  grants.push(at);
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
