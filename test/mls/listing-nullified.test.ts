import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { connect, fub, stagesOf } from "../helpers/people";
import { deliverOutbox, resetSandbox } from "../helpers/sandbox";
import { drain, linkedListing, mlsControl, mlsSetup, MLS_ID, replicatedFeed, streetOf, type FeedListing } from "./helpers";

interface Pipeline {
  name: string;
  stages: Array<{ id: number; name: string }>;
}

/** A client of the brokerage in Follow Up Boss, whose deals the hub takes to the TMS. */
async function client(): Promise<number> {
  const email = `vera.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const lead = { firstName: "Vera", lastName: "Voided", email, phone: "5125550193", message: "Call me" };
  await post(await signedDelivery("idx", { type: "lead.created", timestamp: new Date().toISOString(), data: lead }));
  const id = await eventually(() =>
    env.DB.prepare(
      "SELECT l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind(email)
      .first<string>("external_id"),
  );
  await deliverOutbox();
  return Number(id);
}

/** A deal of `person` put under contract in Follow Up Boss; the golden deal once the hub created its loop or halted it. */
async function dealUnderContract(person: number, name: string): Promise<{ dealId: string; stages: string[] }> {
  const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
  const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
  const stageId = buyers?.stages.find((s) => s.name === "Under Contract")?.id;
  const deal = await fub<{ id: number }>("POST", "/v1/deals", { name, stageId, peopleIds: [person], price: 410000 });
  await deliverOutbox();
  return eventually(async () => {
    const dealId = await env.DB.prepare(
      "SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1",
    )
      .bind(String(deal.id))
      .first<string>("canonical_id");
    const stages = dealId ? await stagesOf(dealId) : [];
    return dealId && (stages.includes("TMS_ID_WRITTEN") || stages.includes("TMS_HALTED")) ? { dealId, stages } : null;
  }, 15_000);
}

// RESO Data Dictionary 2.0, StandardStatus `Delete`: "The listing contract was never valid or there
// is another reason for the contract to be nullified." Its facts describe no sale.
describe("a listing the MLS nullified (StandardStatus Delete)", () => {
  let voided: FeedListing = {};
  let person = 0;

  beforeAll(async () => {
    await resetSandbox();
    const feed = await replicatedFeed(30);
    voided = feed.find((x) => x["UnitNumber"] === null && feed.filter((y) => streetOf(y) === streetOf(x)).length === 1) ?? {};
    await mlsControl("change", { action: "status", to: "Delete", keys: [voided["ListingKey"]] });
    const s = mlsSetup();
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 6 * 60_000);
    await drain(s);
    const row = await env.DB.prepare("SELECT standard_status FROM listings WHERE connection = ?1 AND listing_key = ?2")
      .bind(MLS_ID, voided["ListingKey"])
      .first<string>("standard_status");
    expect(row).toBe("Delete");
    await resetSandbox();
    await connect("dotloop");
    person = await client();
  });

  it("gives a deal quoting its MLS number none of its facts: the deal waits for an address", async () => {
    const deal = await dealUnderContract(person, `MLS# ${String(voided["ListingId"])}`);
    expect(await linkedListing(deal.dealId)).toBeNull();
    expect(deal.stages).toContain("TMS_HALTED");
  });

  it("is not linked to a deal named by its street address", async () => {
    const deal = await dealUnderContract(person, streetOf(voided));
    expect(await linkedListing(deal.dealId)).toBeNull();
  });
});
