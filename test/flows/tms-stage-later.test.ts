import { describe, expect, it } from "vitest";
import { golden, nextSecond, quiet } from "../helpers/deal-changes";
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
    await quiet();
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

    // The agent then closes the CRM deal too: the next notice of the sold loop (a poll) agrees
    // with the golden deal, and closes and invoices it once; the CRM, already closed, gets no
    // status change, only the transaction.closed the routing table sends it (which it leaves be).
    await moveInFub(d, "Closed");
    expect((await golden(d.dealId)).closedAt).toBeNull();
    expect(await syncLoop(d)).toEqual({ value: "closed", sent: ["accounting:transaction.closed", "crm:transaction.closed"] });
    deal = await golden(d.dealId);
    expect(deal.stage).toBe("closed");
    expect(deal.closedAt).not.toBeNull();
    expect(await stagesOf(d.dealId)).toContain("CLOSED");
    expect(await syncLoop(d)).toEqual({ value: "unchanged", sent: [] });
  });
});
