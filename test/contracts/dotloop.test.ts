/** Dotloop answers as a client library recorded them, through the hub's own schemas and map (pure). */
import { describe, expect, it } from "vitest";
import { mapDotloopLoop } from "../../src/mapping";
import { dotloopDialect, MAX_RESET_MS, resetDelayMs } from "../../src/vendors/dotloop/dialect";
import { DotloopDetails, DotloopLoop, DotloopParticipant, many, one } from "../../src/vendors/dotloop/schemas";
import list from "./dotloop/loop-list.response.json";
import detail from "./dotloop/loop-detail.response.json";
import loop from "./dotloop/loop.response.json";
import participants from "./dotloop/participants.response.json";

const ctx = { deliveryId: "dlv_contract", receivedAt: Date.UTC(2017, 5, 1) };

describe("Dotloop recorded answers", () => {
  it("a loop, its list, details and participants parse with the hub's schemas", () => {
    expect(one(DotloopLoop).parse(loop).data).toMatchObject({
      name: "Atturo Garay, 3059 Main, Chicago, IL 60614",
      updated: "2017-05-30T21:42:17Z",
    });
    expect(many(DotloopLoop).safeParse(list).success).toBe(true);
    expect(one(DotloopDetails).parse(detail).data["Financials"]?.["Purchase/Sale Price"]).toBe("25000");
    expect(many(DotloopParticipant).safeParse(participants).success).toBe(true);
  });

  it("the loop with its details and participants maps to one transaction with no drift: buyer, seller, price and closing date", () => {
    const out = mapDotloopLoop(loop, detail, participants, ctx);
    if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
    expect(out.drift).toEqual([]);
    const tx = out.events.find((e) => e.type === "transaction.upserted");
    if (tx?.type !== "transaction.upserted") throw new Error("no transaction");
    expect(tx.data.transaction.purchasePrice).toBe(2_500_000);
    expect(tx.data.transaction.dates.estimatedClosing).toBe("2017-11-01");
    expect(tx.data.transaction.participants.map((p) => p.role).sort()).toEqual(expect.arrayContaining(["buyer", "seller"]));
  });
});

describe("Dotloop X-RateLimit-Reset", () => {
  const now = Date.UTC(2026, 11, 2, 20, 0, 0);
  const headers = (reset: string) => new Headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });

  it("milliseconds until the reset are taken as they are", () => {
    expect(resetDelayMs(42_000, now)).toBe(42_000);
    expect(dotloopDialect.limits(headers("1500"), 200)).toEqual({ remaining: 0, resetMs: 1500 });
  });

  it("a reset that looks like an epoch (seconds or milliseconds) is read as that instant, not as decades", () => {
    expect(resetDelayMs(now + 30_000, now)).toBe(30_000);
    expect(resetDelayMs(Math.floor(now / 1000) + 30, now)).toBe(30_000);
    expect(resetDelayMs(now - 5_000, now)).toBe(0);
  });

  it("no header can pause a connection for more than an hour", () => {
    expect(resetDelayMs(999_999_999, now)).toBe(MAX_RESET_MS);
    const r = dotloopDialect.limits(headers(String(Date.now() + 10 * 86_400_000)), 200);
    expect(r.resetMs).toBeLessThanOrEqual(MAX_RESET_MS);
  });
});
