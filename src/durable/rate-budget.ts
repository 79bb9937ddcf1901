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
import { MAX_VENDOR_CALL_MS } from "../lib/call-bounds";

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

/**
 * What the vendor last said it has left, counted when the request that carried it arrived (sent
 * at `at`), and until when that word holds (one of its windows).
 */
export interface VendorView {
  at: number;
  remaining: number;
  until: number;
}

export interface BudgetState {
  grants: number[]; // slot times (ms) granted, oldest first (future ones are reserved)
  inFlight: number;
  pausedUntil: number;
  /** Multiplies `safety`: narrowed by each 429 the vendor sends, widened back by answers that pass. */
  margin?: number;
  vendor?: VendorView;
}

export function emptyBudget(): BudgetState {
  return { grants: [], inFlight: 0, pausedUntil: 0 };
}

/** How far one 429 narrows a context's share, the narrowest it gets, and how fast it recovers. */
const MARGIN_STEP = 0.05;
const MARGIN_FLOOR = 0.7;
const MARGIN_RECOVERY = 0.0005;

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
  const safety = (limits.safety ?? 0.95) * (state.margin ?? 1);
  const grants = state.grants;
  const latest = grants.length ? (grants[grants.length - 1] ?? 0) : -Infinity;
  let t = Math.max(now, state.pausedUntil);
  // Each rule only pushes the slot later, and a later slot only empties windows: this settles.
  for (let changed = true; changed; ) {
    changed = false;
    // The vendor's own count: what it said was left when that request arrived is all that may
    // start after it before its window moves on (another client of the same account, or arrivals
    // bunched by jitter, show up here before they show up as a 429). Its window slides: each of
    // our slots that leaves it after that arrival frees one more.
    const v = state.vendor;
    if (v && t < v.until) {
      const w = v.until - v.at;
      const freed = countAfter(grants, v.at - w) - countAfter(grants, t - w);
      if (countAfter(grants, v.at) >= v.remaining + freed) {
        const leaving = grants[grants.length - countAfter(grants, t - w)];
        t = leaving !== undefined && leaving + w < v.until ? leaving + w + 1 : v.until;
        changed = true;
      }
    }
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

/**
 * The requests in flight. A permit whose release never came (its caller's isolate was stopped, a
 * reply lost on the way) would keep its place for good, and at the cap lock the connection out:
 * once the latest slot is older than any call can last, none is running.
 */
function inFlightAt(state: BudgetState, now: number): number {
  return now - (state.grants[state.grants.length - 1] ?? 0) > MAX_VENDOR_CALL_MS ? 0 : state.inFlight;
}

/** A caller's answer: the slot it may take, or how long until it could ask with hope. */
export type Decision = { grant: true; at: number } | { grant: false; waitMs: number; atCap?: true };

/**
 * Whether a caller willing to wait `maxWaitMs` gets a slot, and when. With a cap on requests in
 * flight that is reached, a short poll: slots free when requests end, not at a known time.
 */
export function decide(state: BudgetState, limits: Limits, now: number, maxWaitMs: number): Decision {
  if (limits.maxInFlight !== undefined && inFlightAt(state, now) >= limits.maxInFlight)
    return { grant: false, waitMs: Math.max(50, state.pausedUntil - now), atCap: true };
  const at = nextSlot(state, limits, now);
  return at - now <= maxWaitMs ? { grant: true, at } : { grant: false, waitMs: at - now };
}

/**
 * When a caller the budget turned away for want of a window slot should come back. All of them
 * are offered the same earliest slot, so a backlog turned away together would return together,
 * and all but the few that fit be turned away again, wave after wave. Instead each comes back one
 * spacing (the slowest window's W/L) after the one turned away before it, as if they had queued
 * at the pace the budget grants: `tail` is when the previous one was told to come back. Nothing
 * is reserved; a caller that finds its slot taken is simply sent further back.
 */
export function comeBackAt(tail: number, earliest: number, limits: Limits, margin = 1): number {
  const safety = (limits.safety ?? 0.95) * margin;
  const spacing = Math.max(0, ...limits.windows.map((w) => w.windowMs / allowed(w, safety)));
  return Math.max(earliest, tail + spacing);
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
  return { ...state, grants, inFlight: inFlightAt(state, now) + 1 };
}

/** What the vendor said about its limits in one response. */
export interface Observation {
  status?: number;
  retryAfterMs?: number;
  remaining?: number;
  resetMs?: number; // ms from now until the vendor's window resets
  /** The budget the vendor says the request was counted against (Follow Up Boss X-RateLimit-Context). */
  context?: string;
  /** The vendor's published limit for that context, and its window. */
  limit?: number;
  windowMs?: number;
  /** When the request that brought this answer was sent (ms since epoch). */
  sentAt?: number;
  /** The slot the gate granted that request (from its permit). */
  slot?: number;
}

/**
 * Ends a request in the budget that granted it: frees its in-flight slot, and a request sent
 * later than its slot (a busy caller wakes late) is counted from when it was sent. The vendor
 * counts it then: kept at its slot, it would leave our windows before it leaves the vendor's, and
 * the calls granted on time after it would reach the vendor in the same window.
 */
export function settle(state: BudgetState, obs: Observation = {}): BudgetState {
  const settled = { ...state, inFlight: Math.max(0, state.inFlight - 1) };
  const { slot, sentAt } = obs;
  if (slot === undefined || sentAt === undefined || sentAt <= slot) return settled;
  const grants = state.grants;
  const i = grants.length - countAfter(grants, slot - 1);
  if (grants[i] !== slot) return settled; // already older than every window
  const moved = grants.slice(0, i).concat(grants.slice(i + 1));
  const j = moved.length - countAfter(moved, sentAt);
  moved.splice(j, 0, sentAt);
  return { ...settled, grants: moved };
}

/**
 * Applies what the vendor said to the budget it named: a 429 pauses it and narrows its margin,
 * an answer that passed widens the margin back a little, and `remaining` is kept as the vendor's
 * view (nothing left: paused until the reset).
 */
export function learn(state: BudgetState, obs: Observation, now: number): BudgetState {
  let pausedUntil = state.pausedUntil;
  let margin = state.margin ?? 1;
  if (obs.status === 429) {
    pausedUntil = Math.max(pausedUntil, now + (obs.retryAfterMs ?? 1_000));
    margin = Math.max(MARGIN_FLOOR, margin - MARGIN_STEP);
  } else if (obs.status !== undefined && obs.status < 400) {
    margin = Math.min(1, margin + MARGIN_RECOVERY);
  }
  if (obs.remaining !== undefined && obs.remaining <= 0 && obs.resetMs !== undefined) {
    pausedUntil = Math.max(pausedUntil, now + obs.resetMs);
  }
  const next: BudgetState = { ...state, pausedUntil, ...(margin < 1 ? { margin } : { margin: undefined }) };
  // The newest word wins; an answer overtaken by a later request's answer says nothing new.
  const sentAt = Math.min(obs.sentAt ?? now, now);
  if (obs.remaining !== undefined && obs.remaining > 0 && obs.resetMs !== undefined && sentAt >= (state.vendor?.at ?? -Infinity)) {
    next.vendor = { at: sentAt, remaining: obs.remaining, until: sentAt + obs.resetMs };
  }
  if (next.margin === undefined) delete next.margin;
  return next;
}

/** Ends a request and applies what the vendor told us, both in the same budget. */
export function observe(state: BudgetState, obs: Observation, now: number): BudgetState {
  return learn(settle(state, obs), obs, now);
}
