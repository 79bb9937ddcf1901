import { describe, expect, it } from "vitest";
import { SlidingLimiter, type LimiterStore } from "../../sandbox/src/core/rate-limit";

const memoryStore = (): LimiterStore => {
  const kept = new Map<string, number[]>();
  return { load: (k) => kept.get(k), save: (k, t) => void kept.set(k, [...t]) };
};

describe("the sandbox's rate windows", () => {
  it("remember the calls of the last minute when the vendor's object restarts", () => {
    const store = memoryStore();
    const before = new SlidingLimiter(store);
    for (let i = 0; i < 3; i++) expect(before.hit("dotloop:api", 3, 60_000, 1_000 + i).allowed).toBe(true);
    const after = new SlidingLimiter(store);
    expect(after.hit("dotloop:api", 3, 60_000, 30_000)).toMatchObject({ allowed: false, remaining: 0, resetMs: 31_000 });
    expect(after.hit("dotloop:api", 3, 60_000, 61_001).allowed).toBe(true);
  });
});
