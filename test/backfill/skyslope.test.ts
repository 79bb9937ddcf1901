import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { backfillReport, type BackfillReport } from "../../src/backfill/report";
import { startBackfill } from "../../src/backfill/run";
import type { Deal } from "../../src/canonical";
import { findCanonicalId } from "../../src/store/links";
import { SkySlopeTms } from "../../src/vendors/skyslope/tms";
import { onSkySlope } from "../helpers/brokerage";
import { records, resetSandbox } from "../helpers/sandbox";
import { open } from "../vendors/support";
import { drive, heldQueues, requestLog, seedBrokerage } from "./helpers";

interface FubRecords {
  person: Array<{ id: number; firstName: string; lastName: string; emails: Array<{ value: string }> }>;
  deal: Array<{ id: number; peopleIds: number[]; fields?: { price?: number } }>;
}

/** A sale an agent opened for a client the CRM has, at the price of the client's deal, as SkySlope holds it. */
function saleFor(client: FubRecords["person"][number], street: string, price = 415_000): Deal {
  return {
    stage: "under_contract",
    purchasePrice: price * 100,
    dates: { contract: "2026-10-01", estimatedClosing: "2026-11-15" },
    participants: [
      {
        role: "buyer",
        person: { firstName: client.firstName, lastName: client.lastName, emails: client.emails, phones: [], roles: [], tags: [] },
      },
    ],
    property: { address: { number: street, street: "Cedar", suffix: "Ln", city: "Austin", state: "TX", zip: "78702" } },
    agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
  };
}

describe("the day-one backfill of a brokerage whose TMS is SkySlope", () => {
  const sales = new Map<string, { personId: number; dealId: number }>();
  let report: BackfillReport;
  let skySlopeLogStart = 0;

  beforeAll(async () => {
    await resetSandbox();
    // The CRM as imported: clients with a deal each, and in SkySlope a sale for each deal's client.
    await seedBrokerage({ seed: 21, people: 6, deals: 3, transactions: 0, customers: 0 });
    const fub = await records<FubRecords>("followupboss");
    const tms = new SkySlopeTms(open("skyslope:main"));
    for (const [i, deal] of fub.deal.entries()) {
      const client = fub.person.find((p) => p.id === deal.peopleIds[0]);
      if (!client) throw new Error(`no client for deal ${deal.id}`);
      const created = await tms.createTransaction({ reference: `seeded-${i}`, deal: saleFor(client, String(100 + i), deal.fields?.price) });
      if (!created.ok) throw new Error(created.error.message);
      sales.set(created.value.externalId, { personId: client.id, dealId: deal.id });
    }
    skySlopeLogStart = (await requestLog("skyslope")).length;

    const held = heldQueues(onSkySlope());
    const started = await startBackfill(held.env, Date.now());
    if (!started.ok) throw new Error(started.message);
    const end = await drive(held.env, held.sent, started.value.id);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
    report = (await backfillReport(env.DB, started.value.id)) as BackfillReport;
  }, 60_000);

  it("links each sale's buyer to the client's CRM person, and the sale to the client's CRM deal", async () => {
    expect(sales.size).toBe(3);
    for (const [saleGuid, crm] of sales) {
      const person = await findCanonicalId(env.DB, "followupboss", "person", String(crm.personId));
      expect(person, saleGuid).not.toBeNull();
      expect(await findCanonicalId(env.DB, "skyslope", "person", `${saleGuid}:buyer`)).toBe(person);
      const deal = await findCanonicalId(env.DB, "followupboss", "deal", String(crm.dealId));
      expect(deal, saleGuid).not.toBeNull();
      expect(await findCanonicalId(env.DB, "skyslope", "transaction", saleGuid)).toBe(deal);
    }
  });

  it("lists each sale's id as one to write back onto its CRM deal", () => {
    expect(report.writebacks).toHaveLength(sales.size);
    expect(new Set(report.writebacks.map((w) => (w as { externalId?: string }).externalId))).toEqual(new Set(sales.keys()));
    expect(report.writebacks.every((w) => (w as { system?: string }).system === "skyslope")).toBe(true);
  });

  it("only reads SkySlope", async () => {
    const calls = (await requestLog("skyslope")).slice(skySlopeLogStart);
    expect(calls.some((c) => c.method === "GET" && c.path.includes("/api/files/sales"))).toBe(true);
    expect(calls.filter((c) => c.method !== "GET" && !c.path.includes("/auth/login"))).toEqual([]);
  });
});
