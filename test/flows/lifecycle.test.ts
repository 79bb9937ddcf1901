import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { agentDotloop, connect, fub, stagesOf } from "../helpers/people";
import { deliverOutbox, records, resetSandbox } from "../helpers/sandbox";

/** Every vendor webhook delivered twice, the second round in reverse order. */
async function deliverTwiceOutOfOrder(): Promise<void> {
  const responses = await deliverOutbox({ times: 2, reverse: true });
  for (const r of responses) expect([200, 202]).toContain(r.status);
}

interface Pipeline {
  id: number;
  name: string;
  stages: Array<{ id: number; name: string }>;
}

describe("lead to close, end to end through the hub and the vendor sandbox", () => {
  beforeAll(async () => {
    await resetSandbox();
    await connect("dotloop");
    await connect("quickbooks");
  });

  it("one person, one deal, one loop, one invoice; each stage traced once, despite duplicate and out-of-order webhooks", async () => {
    // 1. The same buyer arrives from three lead sources, one delivery sent twice.
    const email = "jordan.lee@example.com";
    const zillow = await signedDelivery("zillow", {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: {
        contact_name: "JORDAN LEE",
        contact_email_address: "Jordan.Lee@Example.com",
        phone_number: "(737) 555-0101",
        message: "Is 12 Oak Ln available?",
        listing: { street: "12 Oak Ln", city: "Austin", state: "TX", zip: "78701", mls_id: "555", price: "$450,000" },
      },
    });
    expect((await post(zillow)).status).toBe(202);
    // The copy comes before the first is recorded: queued again (202), then dropped by D1.
    expect([200, 202]).toContain((await post(zillow)).status);
    await post(
      await signedDelivery("realtor", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: {
          lead_id: "r1",
          role: "buyer",
          contact: { first_name: "Jordan", last_name: "Lee", email, phone: "737.555.0101" },
          message: "Tour?",
        },
      }),
    );
    await post(
      await signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Jordan", lastName: "Lee", email, phone: "7375550101", message: "Call me" },
      }),
    );
    const person = await eventually(async () => {
      const row = await env.DB.prepare(
        "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' AND l.kind = 'person'",
      ).first<{ id: string; external_id: string }>();
      const acts = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE stage = 'LEAD_ACTIVITY'").first<{ n: number }>();
      return row && (acts?.n ?? 0) >= 2 ? row : null;
    }, 10_000);
    await deliverTwiceOutOfOrder();

    // 2. The agent opens a deal named after the property and moves it to Under Contract.
    const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
    const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
    const stage = (name: string) => buyers?.stages.find((s) => s.name === name)?.id;
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "12 Oak Ln, Austin, TX 78701",
      stageId: stage("Active Client"),
      peopleIds: [Number(person.external_id)],
      price: 450000,
    });
    await deliverTwiceOutOfOrder();
    await fub("PUT", `/v1/deals/${deal.id}`, { stageId: stage("Under Contract") });
    await deliverTwiceOutOfOrder();

    // 3. The hub creates the loop and writes its id back to the deal.
    const dealId = await eventually(async () => {
      const row = await env.DB.prepare(
        "SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1",
      )
        .bind(String(deal.id))
        .first<{ canonical_id: string }>();
      return row && (await stagesOf(row.canonical_id)).includes("TMS_ID_WRITTEN") ? row.canonical_id : null;
    }, 15_000);
    const loops = (await records<{ loop?: Array<{ id: number; profileId: number; name: string }> }>("dotloop")).loop ?? [];
    expect(loops).toHaveLength(1);
    const loop = loops[0];
    if (!loop) throw new Error("no loop");
    expect(loop.name).toContain("12 Oak Ln");
    const fubDeal = await fub<Record<string, unknown>>("GET", `/v1/deals/${deal.id}`);
    expect(String(fubDeal.customTransactionID)).toBe(String(loop.id));
    await deliverTwiceOutOfOrder();

    // 4. In Dotloop the agent records the commission and marks the loop sold.
    const dotloop = await agentDotloop();
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, {
      Financials: { "Sale Commission Total": "13,500" },
      "Contract Dates": { "Closing Date": "12/15/2026" },
    });
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });
    await deliverTwiceOutOfOrder();

    // 5. The CRM deal follows to Closed, and QuickBooks has the commission invoice.
    await eventually(async () => {
      const done = await stagesOf(dealId);
      return done.includes("INVOICED") && done.includes("STATUS_SYNCED");
    }, 15_000);
    await deliverTwiceOutOfOrder();
    await new Promise((r) => setTimeout(r, 500));
    const closedDeal = await fub<{ stageId: number; stageName?: string }>("GET", `/v1/deals/${deal.id}`);
    expect(closedDeal.stageId).toBe(stage("Closed"));
    const qbo = await records<Record<string, Array<{ TotalAmt?: number; Line?: unknown }>>>("quickbooks");
    const invoices = qbo["qbo:Invoice"] ?? [];
    expect(invoices).toHaveLength(1);
    expect(invoices[0]?.TotalAmt).toBe(13500);

    // Exactly one of each, everywhere.
    const fubRecs = await records<{ person?: unknown[]; deal?: unknown[] }>("followupboss");
    expect(fubRecs.person).toHaveLength(1);
    expect(fubRecs.deal).toHaveLength(1);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM people").first<{ n: number }>())?.n).toBe(1);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM deals").first<{ n: number }>())?.n).toBe(1);
    expect(await stagesOf(person.id)).toEqual(["CRM_CREATED", "LEAD_ACTIVITY", "LEAD_ACTIVITY"]);
    // The configured default compliance status the loop was created with comes back to the CRM
    // deal once (FIELDS_SYNCED), whenever the loop is first synced.
    const traced = await stagesOf(dealId);
    const stages = traced.filter((s) => s !== "FIELDS_SYNCED");
    expect(stages.slice(0, 4)).toEqual(["DEAL_LINKED", "TMS_CREATED", "TMS_ID_WRITTEN", "CLOSED"]);
    // The CRM's stage and the invoice follow the close on two queues, in either order.
    expect(stages.slice(4).sort()).toEqual(["INVOICED", "STATUS_SYNCED"]);
    expect(traced.filter((s) => s === "FIELDS_SYNCED")).toHaveLength(1);
    const golden = await env.DB.prepare("SELECT lead_source, gci_cents, closed_at FROM deals WHERE id = ?1")
      .bind(dealId)
      .first<{ lead_source: string; gci_cents: number; closed_at: number }>();
    expect(golden?.lead_source).toBe("Zillow");
    expect(golden?.gci_cents).toBe(1_350_000);
  });
});
