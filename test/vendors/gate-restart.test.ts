import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { uid } from "./support";

const DOTLOOP = { windows: [{ limit: 100, windowMs: 60_000 }] };

/** Permits the gate grants at once (no wait) until it first asks a caller to wait. */
async function grantedAtOnce(name: string): Promise<{ granted: number; waitMs: number }> {
  const gate = env.VENDOR_GATE.getByName(name);
  for (let granted = 0; granted < 200; granted++) {
    const p = await gate.acquire(DOTLOOP, "default", 0);
    if (!p.granted) return { granted, waitMs: p.waitMs };
  }
  throw new Error("the gate never asked for a wait");
}

describe("a vendor gate restarted by the runtime", () => {
  it("still counts the calls of its window, so a restart mid-window grants no second burst", async () => {
    const name = `dotloop:restart-${uid()}`;
    const before = await grantedAtOnce(name);
    expect(before.granted).toBe(47); // half of 95 (100 less the 5% margin) at once, the rest spaced
    expect(before.waitMs).toBeGreaterThan(0);
    await abortAllDurableObjects(); // as an eviction or a deploy does
    const after = await grantedAtOnce(name);
    expect(after.granted).toBe(0);
    expect(after.waitMs).toBeGreaterThan(0);
  });

  it("keeps its requests in flight at the cap across a restart, until their callers release them to the new instance", async () => {
    const name = `quickbooks:restart-${uid()}`;
    const gate = env.VENDOR_GATE.getByName(name);
    const capped = { windows: [{ limit: 500, windowMs: 60_000 }], maxInFlight: 2 };
    expect((await gate.acquire(capped, "default", 0)).granted).toBe(true);
    expect((await gate.acquire(capped, "default", 0)).granted).toBe(true);
    expect((await gate.acquire(capped, "default", 0)).granted).toBe(false);
    await abortAllDurableObjects();
    const restarted = env.VENDOR_GATE.getByName(name);
    expect(await restarted.acquire(capped, "default", 0)).toMatchObject({ granted: false });
    await restarted.release({ status: 200 });
    expect((await restarted.acquire(capped, "default", 0)).granted).toBe(true);
    expect((await restarted.acquire(capped, "default", 0)).granted).toBe(false);
  });
});
