import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { startBackfill } from "../../src/backfill/run";
import { brokerageConfig } from "../../src/config/load";
import { tmsMessage } from "../../src/consumers/tms";
import { getDeal } from "../../src/store/deals";
import { findCanonicalId } from "../../src/store/links";
import { openConnection } from "../../src/vendors/registry";
import { vendorRequest } from "../../src/vendors/shared/transport";
import { drive, heldQueues, seededBrokerage } from "./helpers";

describe("a transaction closed before go-live", () => {
  it("is linked as closed, and its first live notice neither closes nor invoices the deal again", async () => {
    const { seeded } = await seededBrokerage({ seed: 5, people: 24, deals: 8, transactions: 8, customers: 3 });
    const ref = (seeded.cases.exact ?? []).find((r) => r.startsWith("dotloop:transaction:"));
    if (!ref) throw new Error("the seed has no transaction matched exactly");
    const loopId = ref.split(":")[2] ?? "";
    // Sold, and billed by the brokerage, before the hub went live.
    const dotloop = openConnection(env, brokerageConfig(env), "dotloop:main");
    const sold = await vendorRequest(dotloop, { method: "PATCH", path: `/profile/4711/loop/${loopId}`, json: { status: "SOLD" } });
    expect(sold.ok).toBe(true);

    const held = heldQueues();
    const started = await startBackfill(held.env, Date.now());
    if (!started.ok) throw new Error(started.message);
    expect((await drive(held.env, held.sent, started.value.id)).failure).toBeNull();
    const dealId = await findCanonicalId(env.DB, "dotloop", "transaction", loopId);
    if (!dealId) throw new Error("the sold loop was not linked");
    const linked = await getDeal(env.DB, dealId);
    expect(linked).toMatchObject({ stage: "closed", closed_at: expect.any(Number) });

    // After go-live, staff touch the old loop: Dotloop tells the hub it changed.
    const notice = {
      v: 1,
      event: {
        id: `dotloop-notice-${crypto.randomUUID()}`,
        type: "vendor.resource_changed",
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
        source: { system: "dotloop", externalId: loopId, deliveryId: `dlv_${crypto.randomUUID()}` },
        subject: { kind: "transaction", externalId: loopId },
        data: { system: "dotloop", resource: "loop", ids: [loopId], action: "updated", vendorEvent: "LOOP_UPDATED" },
      },
    };
    expect(await tmsMessage(notice, env)).toMatchObject({ ok: true });
    const closes = await env.DB.prepare(`SELECT COUNT(*) AS n FROM traces WHERE subject = ?1 AND stage = 'CLOSED'`)
      .bind(dealId)
      .first<{ n: number }>();
    expect(closes?.n).toBe(0);
    expect((await getDeal(env.DB, dealId))?.closed_at).toBe(linked?.closed_at);
  }, 120_000);
});
