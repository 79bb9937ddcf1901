import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { crmFor } from "../../src/vendors/systems";
import { closeInTms, golden, nextSecond, quiet, renameInFub } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { setSettings } from "../helpers/sandbox";

// The CRM deal sync wrote the CRM's stage, name and price into the golden deal's columns whenever
// anything changed, even when the merge kept another system's value: the agent renamed the deal,
// the TMS closed it a second later, and the rename's sync left the stage column under_contract
// while the deal's fields (and closed_at) said closed.

describe("a CRM deal change whose stage lost the merge", () => {
  afterAll(async () => {
    await setSettings("followupboss", { rejectWrites: null });
  });

  it("writes the name it won to the deal, and leaves the stage the TMS closed it with", async () => {
    const d = await dealUnderContract(
      { firstName: "Column", lastName: "Stage", email: "column.stage@example.com", phone: "5125550171" },
      "14 Elm St, Austin, TX 78704",
      450000,
    );
    await quiet();
    // Follow Up Boss keeps the deal under contract: the hub's own stage sync after the close is
    // refused, so it cannot move the CRM deal on before the rename is synced.
    await setSettings("followupboss", { rejectWrites: { match: `^PUT \\S*/v1/deals/${d.fubDealId}\\b.*stageId`, status: 422 } });
    const renamed = "14 Elm St, Austin, TX 78704 (backup offer)";
    await nextSecond(await renameInFub(d.fubDealId, renamed));
    await closeInTms(d);

    const config = brokerageConfig(env);
    expect((await handleCrmDeal(String(d.fubDealId), "column-stage", env, config, crmFor(env, config))).ok).toBe(true);
    const deal = await golden(d.dealId);
    expect(deal.fields.stage).toMatchObject({ value: "closed", system: "dotloop" });
    expect(deal.fields.name).toMatchObject({ value: renamed, system: "followupboss" });
    // The columns say what the fields say.
    expect(deal.stage).toBe("closed");
    expect(deal.name).toBe(renamed);
    expect(deal.closedAt).not.toBeNull();
  });
});
