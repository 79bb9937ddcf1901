import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BrokerageConfig } from "../../src/config/brokerage";
import { brokerageConfig } from "../../src/config/load";
import { golden, quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { stagesOf } from "../helpers/people";
import { priceCents, sellLoop, syncLoop } from "../helpers/tms-sync";

// The TMS status sync wrote the loop's stage and price into the golden deal's columns whenever
// anything changed, and closed the deal whenever the loop said closed: with the stage owned by
// the CRM, a loop marked sold (and repriced) set the stage column to closed beside fields.stage
// under_contract, set closed_at and sent transaction.closed to accounting (an invoice).

describe("a loop marked sold when the CRM owns the stage", () => {
  it("takes the loop's price, and leaves the deal under contract, not closed and not invoiced", async () => {
    const d = await dealUnderContract(
      { firstName: "Owned", lastName: "Stage", email: "owned.stage@example.com", phone: "5125550181" },
      "21 Elm St, Austin, TX 78704",
      500000,
    );
    await quiet();
    expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "under_contract", system: "followupboss" });
    await sellLoop(d, "510,000");

    const config: BrokerageConfig = { ...brokerageConfig(env), ownership: { stage: "followupboss" } };
    expect(await syncLoop(d, config)).toEqual({ value: "synced", sent: [] });
    const deal = await golden(d.dealId);
    expect(deal.fields.stage).toMatchObject({ value: "under_contract", system: "followupboss" });
    expect(deal.fields.price).toMatchObject({ value: 51_000_000, system: "dotloop" });
    // The columns say what the fields say.
    expect(deal.stage).toBe("under_contract");
    expect(await priceCents(d.dealId)).toBe(51_000_000);
    expect(deal.closedAt).toBeNull();
    expect(await stagesOf(d.dealId)).not.toContain("CLOSED");
  });
});
