import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { uid } from "./support";

const DOTLOOP = { windows: [{ limit: 100, windowMs: 60_000 }] };

describe("callers a vendor gate turns away", () => {
  it("are told to come back about W/L apart, so a backlog returns at the pace the budget grants", async () => {
    const gate = env.VENDOR_GATE.getByName(`dotloop:deferral-${uid()}`);
    for (let i = 0; i < 47; i++) expect((await gate.acquire(DOTLOOP, "default", 0)).granted).toBe(true);
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const p = await gate.acquire(DOTLOOP, "default", 0);
      if (p.granted) throw new Error("the window's share is spent");
      waits.push(p.waitMs);
    }
    // 60 s / 95 allowed: about 632 ms between one caller's return and the next's.
    for (let i = 1; i < waits.length; i++) {
      const gap = (waits[i] ?? 0) - (waits[i - 1] ?? 0);
      expect(gap).toBeGreaterThan(550);
      expect(gap).toBeLessThan(700);
    }
  });

  it("at the in-flight cap are still told to poll shortly, as a slot frees when a request ends", async () => {
    const gate = env.VENDOR_GATE.getByName(`quickbooks:deferral-${uid()}`);
    const capped = { windows: [{ limit: 500, windowMs: 60_000 }], maxInFlight: 1 };
    expect((await gate.acquire(capped, "default", 0)).granted).toBe(true);
    for (let i = 0; i < 5; i++) expect(await gate.acquire(capped, "default", 0)).toEqual({ granted: false, waitMs: 50 });
  });
});
