import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { crmFor } from "../../src/vendors/systems";
import { golden, nextSecond, renameInFub, settled } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { moveInFub, sellLoop, syncLoop } from "../helpers/tms-sync";

describe("a CRM deal read again after an edit that left its stage", () => {
  it("keeps the stage the TMS moved the deal to, and still takes the agent's next stage move in the CRM", async () => {
    const d = await dealUnderContract(
      { firstName: "Held", lastName: "Stage", email: "held.stage@example.com", phone: "5125550186" },
      "31 Birch Rd, Austin, TX 78702",
      410000,
    );
    await settled();
    // The loop sells; its status reaches the golden deal, not yet the CRM (syncLoop sends nothing on).
    await nextSecond(await sellLoop(d));
    await syncLoop(d);
    expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "closed", system: "dotloop" });

    // The CRM deal is then written in a later second without its stage (the hub's own transaction
    // id write does the same): Follow Up Boss stamps the whole deal anew, Under Contract and all.
    await renameInFub(d.fubDealId, "31 Birch Rd (sold)");
    const config = brokerageConfig(env);
    expect(await handleCrmDeal(String(d.fubDealId), "fub-renamed", env, config, crmFor(env, config))).toMatchObject({ ok: true });
    const after = await golden(d.dealId);
    expect(after.fields.stage).toMatchObject({ value: "closed", system: "dotloop" });
    expect(after.stage).toBe("closed");
    expect(after.name).toBe("31 Birch Rd (sold)");

    // The agent's own move of the CRM deal is a change of the CRM's, and merges as before.
    await moveInFub(d, "Cancelled");
    expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "cancelled", system: "followupboss" });
  }, 90_000);
});
