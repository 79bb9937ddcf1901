import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { EventOf } from "../../src/canonical";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { syncStatusToCrm } from "../../src/consumers/crm-sync";
import { crmFor } from "../../src/vendors/systems";
import { golden, nextSecond, settled } from "../helpers/deal-changes";
import { statusChanged } from "../helpers/deal-events";
import { dealUnderContract } from "../helpers/deals";
import { fub } from "../helpers/people";
import { sellLoop, syncLoop } from "../helpers/tms-sync";

describe("a CRM deal the hub moved to the TMS's stage", () => {
  it("takes the agent's move back in the CRM right after the hub pushed the TMS's stage there, before its echo was read", async () => {
    const d = await dealUnderContract(
      { firstName: "Back", lastName: "Again", email: "back.again@example.com", phone: "5125550187" },
      "33 Birch Rd, Austin, TX 78702",
      415000,
    );
    await settled();
    await nextSecond(await sellLoop(d));
    await syncLoop(d);
    const pushed = await syncStatusToCrm(
      statusChanged(d.dealId, "under_contract", "closed", Date.now()).event as EventOf<"transaction.status_changed">,
      env,
      crmFor(env, brokerageConfig(env)),
    );
    expect(pushed).toMatchObject({ ok: true });
    expect((await fub<{ stageId: number }>("GET", `/v1/deals/${d.fubDealId}`)).stageId).toBe(d.stage("Closed"));

    // The agent moves it back to Under Contract at once; the hub reads the deal once, after both writes.
    await fub("PUT", `/v1/deals/${d.fubDealId}`, { stageId: d.stage("Under Contract") });
    const config = brokerageConfig(env);
    expect(await handleCrmDeal(String(d.fubDealId), "fub-back", env, config, crmFor(env, config))).toMatchObject({ ok: true });
    expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "under_contract", system: "followupboss" });
  }, 90_000);
});
