import { describe, expect, it } from "vitest";
import { golden, settled } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { agentDotloop } from "../helpers/people";
import { moveInFub, syncLoop } from "../helpers/tms-sync";

describe("a loop read again after an edit that left its status", () => {
  it("keeps the stage the agent set in the CRM since, and sends the CRM nothing back", async () => {
    const d = await dealUnderContract(
      { firstName: "Loop", lastName: "Renamed", email: "loop.renamed@example.com", phone: "5125550188" },
      "35 Birch Rd, Austin, TX 78702",
      420000,
    );
    await settled();
    await syncLoop(d);
    await moveInFub(d, "Cancelled");
    expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "cancelled", system: "followupboss" });

    // A later second, the loop is edited without its status (as the hub's own writes to it are):
    // Dotloop stamps the loop anew, Under Contract and all.
    await new Promise((r) => setTimeout(r, 1_100));
    const dotloop = await agentDotloop();
    await dotloop("PATCH", `/profile/${d.loop.profileId}/loop/${d.loop.id}`, { name: "35 Birch Rd (renamed)" });
    expect(await syncLoop(d)).toEqual({ value: "unchanged", sent: [] });
    const after = await golden(d.dealId);
    expect(after.fields.stage).toMatchObject({ value: "cancelled", system: "followupboss" });
    expect(after.stage).toBe("cancelled");
  }, 90_000);
});
