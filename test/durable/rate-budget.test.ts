import { describe, expect, it } from "vitest";
import { MAX_VENDOR_CALL_MS } from "../../src/lib/call-bounds";
import {
  comeBackAt,
  decide,
  emptyBudget,
  grant,
  nextSlot,
  observe,
  waitFor,
  type BudgetState,
  type Limits,
} from "../../src/durable/rate-budget";

/** Schedules `n` requests that all ask at `askAt(i)`; each takes the earliest slot it is offered. */
function schedule(limits: Limits, n: number, askAt: (i: number) => number): number[] {
  let state: BudgetState = emptyBudget();
  const slots: number[] = [];
  for (let i = 0; i < n; i++) {
    const now = askAt(i);
    const at = nextSlot(state, limits, now);
    state = observe(grant(state, limits, at, now), {}, at); // each request ends at once
    slots.push(at);
  }
  return slots;
}

/** The most slots any window of `windowMs` holds, with each slot shifted by up to `jitter` ms. */
function worstWindow(slots: number[], windowMs: number, jitter = 0): number {
  let worst = 0;
  for (const start of slots) {
    // Late arrivals of older slots and early arrivals of newer ones: widen the window by the jitter.
    const n = slots.filter((t) => t >= start && t < start + windowMs + jitter).length;
    worst = Math.max(worst, n);
  }
  return worst;
}

describe("rate budget: scheduled, spaced slots", () => {
  const fub: Limits = { windows: [{ limit: 50, windowMs: 2_000 }] };

  it("a backlog of 1,000 calls runs at ≥ 94% of the limit and never over it", () => {
    const slots = schedule(fub, 1_000, () => 0); // every caller asks at once
    expect(worstWindow(slots, 2_000)).toBeLessThanOrEqual(47);
    const span = ((slots[999] ?? 0) - (slots[0] ?? 0)) / 1000;
    expect(999 / span / 25).toBeGreaterThanOrEqual(0.94);
  });

  it("under sustained demand slots are spaced by the vendor's average rate, so 100 ms of arrival jitter stays under its limit", () => {
    const slots = schedule(fub, 500, (i) => i * 5);
    const late = slots.slice(100);
    for (let i = 1; i < late.length; i++) expect((late[i] ?? 0) - (late[i - 1] ?? 0)).toBeGreaterThanOrEqual(40);
    expect(worstWindow(slots, 2_000, 100)).toBeLessThanOrEqual(50);
  });

  it("bursts after quiet spells, with jitter, never put more than the limit in any window", () => {
    // 30 callers at once, then quiet for 1-3 s, over and over.
    const asks: number[] = [];
    for (let t = 0, k = 0; asks.length < 600; k++, t += 1_000 + ((k * 7919) % 2_000)) for (let j = 0; j < 30; j++) asks.push(t);
    const slots = schedule(fub, asks.length, (i) => asks[i] ?? 0);
    expect(worstWindow(slots, 2_000, 100)).toBeLessThanOrEqual(50);
  });

  it("a quiet connection answers a short burst at once; past half the window the next caller gets the following slot", () => {
    let s = emptyBudget();
    for (let i = 0; i < 23; i++) {
      expect(waitFor(s, fub, 1_000)).toBe(0);
      s = grant(s, fub, 1_000);
    }
    expect(waitFor(s, fub, 1_010)).toBe(30);
    s = grant(s, fub, 1_040, 1_010);
    expect(waitFor(s, fub, 1_050)).toBe(30);
    expect(waitFor(s, fub, 1_100)).toBe(0);
  });

  it("several windows at once (QuickBooks 500/min and 10/s): each holds, the sustained rate is the minute's", () => {
    const qbo: Limits = {
      windows: [
        { limit: 500, windowMs: 60_000 },
        { limit: 10, windowMs: 1_000 },
      ],
    };
    const slots = schedule(qbo, 1_200, () => 0);
    expect(worstWindow(slots, 1_000)).toBeLessThanOrEqual(9);
    expect(worstWindow(slots, 60_000)).toBeLessThanOrEqual(475);
    const firstMinute = slots.filter((t) => t < 60_000).length;
    expect(firstMinute).toBeGreaterThanOrEqual(470);
  });

  it("a 429 pause moves every later slot past it", () => {
    let s = grant(emptyBudget(), fub, 0);
    s = observe(s, { status: 429, retryAfterMs: 5_000 }, 10);
    expect(nextSlot(s, fub, 20)).toBe(5_010);
  });

  it("callers turned away together come back spread at the budget's pace, not all at the next free slot", () => {
    // A window spent at 0: 200 queued jobs ask at once and none may wait.
    let s = emptyBudget();
    for (let i = 0; i < 47; i++) s = grant(s, fub, 0);
    let tail = 0;
    const back: number[] = [];
    for (let i = 0; i < 200; i++) {
      const d = decide(s, fub, 10, 0);
      if (d.grant) throw new Error("the window is spent");
      tail = comeBackAt(tail, 10 + d.waitMs, fub);
      back.push(tail);
    }
    // The first comes back at the earliest free slot, the rest about W/L apart: each second holds
    // roughly what the budget grants in a second (23.5), rather than all 200 at once.
    expect(back[0]).toBe(10 + (decide(s, fub, 10, 0) as { waitMs: number }).waitMs);
    const perSecond = new Map<number, number>();
    for (const t of back) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(25);
    expect((back[199] ?? 0) - (back[0] ?? 0)).toBeGreaterThanOrEqual(199 * 40);
  });

  it("a caller turned away after a quiet spell comes back at the earliest free slot", () => {
    expect(comeBackAt(500, 2_000, fub)).toBe(2_000);
    expect(comeBackAt(1_990, 2_000, fub)).toBeCloseTo(1_990 + 2_000 / 47);
  });

  it("at the in-flight cap, callers poll until a request ends", () => {
    const capped: Limits = { windows: [{ limit: 100, windowMs: 1_000 }], maxInFlight: 2 };
    let s = grant(grant(emptyBudget(), capped, 0), capped, 10);
    expect(waitFor(s, capped, 20)).toBe(50);
    s = observe(s, {}, 30);
    expect(waitFor(s, capped, 30)).toBe(0);
  });

  it("permits whose release never came stop counting once no call they allowed could still run", () => {
    const capped: Limits = { windows: [{ limit: 100, windowMs: 1_000 }], maxInFlight: 2 };
    // Two callers took permits and ended without releasing them (their isolate was stopped).
    const lost = grant(grant(emptyBudget(), capped, 1_000), capped, 1_010);
    expect(decide(lost, capped, 60_000, 0)).toMatchObject({ grant: false, atCap: true });
    const later = 1_010 + MAX_VENDOR_CALL_MS + 1;
    expect(decide(lost, capped, later, 0)).toEqual({ grant: true, at: later });
    // Counted afresh: the cap holds again for the permits granted from then on.
    const next = grant(grant(lost, capped, later), capped, later + 10);
    expect(decide(next, capped, later + 20, 0)).toMatchObject({ grant: false, atCap: true });
  });

  it("a 429 narrows the share of the context that drew it, and answers that pass widen it back", () => {
    const burst = (s: BudgetState, at: number) => {
      let n = 0;
      for (; nextSlot(s, fub, at) < at + 2_000; n++) s = grant(s, fub, nextSlot(s, fub, at), at);
      return n;
    };
    expect(burst(emptyBudget(), 0)).toBe(47);
    const after429 = observe(grant(emptyBudget(), fub, 0), { status: 429, retryAfterMs: 1 }, 0);
    expect(burst({ ...after429, grants: [] }, 10)).toBeLessThan(47);
    let healed = after429;
    for (let i = 0; i < 200; i++) healed = observe(grant(healed, fub, i, i), { status: 200 }, i);
    expect(burst({ ...healed, grants: [] }, 10_000)).toBe(47);
  });

  it("a call sent late is counted from when it was sent, so the calls granted on time after it do not crowd the vendor's window", () => {
    // A burst granted at 0 leaves a busy caller 150 ms late; everything after it is sent on time.
    let s = emptyBudget();
    const arrivals: number[] = [];
    for (let i = 0; i < 23; i++) s = grant(s, fub, nextSlot(s, fub, 0), 0);
    for (let i = 0; i < 23; i++) {
      s = observe(s, { status: 200, slot: 0, sentAt: 150 }, 160);
      arrivals.push(150);
    }
    for (let i = 0; i < 100; i++) {
      const at = nextSlot(s, fub, 160);
      s = observe(grant(s, fub, at, 160), { status: 200, slot: at, sentAt: at }, at);
      arrivals.push(at);
    }
    expect(worstWindow(arrivals, 2_000)).toBeLessThanOrEqual(47);
  });

  it("paces by the vendor's own remaining count: what another client spent of the window is not granted again", () => {
    // The vendor says 5 are left in its 2 s window (someone else spent the rest): the hub's own
    // count says 47 are free, but only 5 start before the window moves on.
    let s = observe(grant(emptyBudget(), fub, 50), { status: 200, remaining: 5, resetMs: 2_000, sentAt: 50 }, 100);
    const slots: number[] = [];
    for (let i = 0; i < 10; i++) {
      const at = nextSlot(s, fub, 100);
      s = observe(grant(s, fub, at, 100), {}, at);
      slots.push(at);
    }
    expect(slots.filter((t) => t < 2_000).length).toBeLessThanOrEqual(6);
    expect(slots.filter((t) => t < 2_000).length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...slots)).toBeLessThan(4_000);
  });
});
