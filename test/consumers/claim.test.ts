import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load";
import { once } from "../../src/consumers/once";
import { ok } from "../../src/lib/result";
import { CLAIM_TTL_MS, claimAction } from "../../src/store/applied";
import { MAX_PERMIT_WAIT_MS, MAX_VENDOR_CALL_MS, MAX_VENDOR_TIMEOUT_MS } from "../../src/vendors/shared/call-bounds";
import defaults from "../../config/brokerage.json";

const claimedAt = (eventId: string, action: string) =>
  env.DB.prepare(`SELECT at FROM applied_actions WHERE event_id = ?1 AND action = ?2`).bind(eventId, action).first<{ at: number }>().then((r) => r?.at);

describe("a claim outlives the slowest vendor call the configuration allows", () => {
  it("a copy of the event arriving while the first copy waits out the longest permit and timeout finds it busy", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const t0 = Date.now();
    expect(await claimAction(env.DB, eventId, "crm.lead", t0)).toBe("claimed");
    // The first copy is still inside one call: the longest permit wait, then a request that only
    // aborts at the longest timeout a connection may set.
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + MAX_PERMIT_WAIT_MS + MAX_VENDOR_TIMEOUT_MS)).toBe("busy");
    // A worker that died leaves a claim another copy takes over, once the claim has lapsed.
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + CLAIM_TTL_MS)).toBe("claimed");
  });

  it("the claim's lifetime is derived from the bounds a connection's timeout and permit wait cannot exceed", () => {
    expect(CLAIM_TTL_MS).toBeGreaterThanOrEqual(MAX_VENDOR_CALL_MS + 10_000);
    const conn = defaults.connections[0];
    const parse = (over: Record<string, number>) => parseConfig({ ...defaults, connections: [{ ...conn, ...over }, ...defaults.connections.slice(1)] }, env as unknown as Record<string, unknown>);
    expect(parse({ timeoutMs: MAX_VENDOR_TIMEOUT_MS })).toMatchObject({ ok: true });
    expect(parse({ timeoutMs: MAX_VENDOR_TIMEOUT_MS + 1 })).toMatchObject({ ok: false, errors: [expect.objectContaining({ path: "connections.0.timeoutMs" })] });
    expect(parse({ maxWaitMs: MAX_PERMIT_WAIT_MS + 1 })).toMatchObject({ ok: false, errors: [expect.objectContaining({ path: "connections.0.maxWaitMs" })] });
  });

  it("an action of several slow calls keeps its claim alive while it works", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    let first: number | undefined;
    let during: number | undefined;
    const r = await once(
      env.DB,
      eventId,
      "tms.create",
      async () => {
        first = await claimedAt(eventId, "tms.create");
        await new Promise((resolve) => setTimeout(resolve, 400));
        during = await claimedAt(eventId, "tms.create");
        return ok({ result: "made", writes: [] });
      },
      100,
    );
    expect(r).toEqual({ ok: true, value: "made" });
    expect(first).toBeDefined();
    expect(during).toBeGreaterThan(first ?? Infinity);
  });
});
