import { describe, expect, it } from "vitest";
import { golden, nextSecond, settled } from "../helpers/deal-changes";
import { eventually } from "../helpers/deliveries";
import { dealUnderContract } from "../helpers/deals";
import { stagesOf } from "../helpers/people";
import { moveInFub, priceCents, sellLoop, syncLoop } from "../helpers/tms-sync";

// The TMS status sync closed the deal whenever the loop said closed: the agent marked the loop
// sold, cancelled the CRM deal a second later, and the loop's sync (processed after the CRM's)
// set the stage column back to closed beside fields.stage cancelled, set closed_at and sent
// transaction.closed to accounting (an invoice) for a cancelled deal.

describe("a loop marked sold before the CRM deal's stage changed", () => {
  it("leaves the CRM's later stage, and closes the deal only once the golden deal says closed", async () => {
    const d = await dealUnderContract(
      { firstName: "Later", lastName: "Cancel", email: "later.cancel@example.com", phone: "5125550182" },
      "23 Elm St, Austin, TX 78704",
      500000,
    );
    // The hub hears of the sold loop only from the syncs below (the sandbox keeps its webhooks
    // until a test delivers them), once the setup's own notices are handled, their retries too.
    await settled();
    await nextSecond(await sellLoop(d, "520,000"));
    await moveInFub(d, "Cancelled");
    expect((await golden(d.dealId)).fields.stage).toMatchObject({ value: "cancelled", system: "followupboss" });

    // The loop's change is synced after the CRM's: its price is newer, its stage is not.
    expect(await syncLoop(d)).toEqual({ value: "synced", sent: [] });
    let deal = await golden(d.dealId);
    expect(deal.fields.stage).toMatchObject({ value: "cancelled", system: "followupboss" });
    expect(deal.stage).toBe("cancelled");
    expect(await priceCents(d.dealId)).toBe(52_000_000);
    expect(deal.closedAt).toBeNull();
    expect(await stagesOf(d.dealId)).not.toContain("CLOSED");

    // The agent then closes the CRM deal too. No later notice of the sold loop is sure to come
    // (a backup poll announces only loops changed since its cursor), so the CRM's close has the
    // hub read the loop again: it says sold, the golden deal agrees, and the deal is closed (and
    // sent to accounting) once.
    await moveInFub(d, "Closed");
    const stages = await eventually(async () => {
      const done = await stagesOf(d.dealId);
      return done.includes("CLOSED") ? done : null;
    }, 10_000);
    expect(stages.filter((s) => s === "CLOSED")).toHaveLength(1);
    deal = await golden(d.dealId);
    expect(deal.stage).toBe("closed");
    expect(deal.closedAt).not.toBeNull();
    expect(await syncLoop(d)).toEqual({ value: "unchanged", sent: [] });
  });
});
