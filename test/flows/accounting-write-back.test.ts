import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { agentDotloop, fub, stagesOf } from "../helpers/people";
import { deliverOutbox, SANDBOX, setSettings } from "../helpers/sandbox";

// The invoice step read the golden deal, spent seconds in QuickBooks, then wrote the deal back
// with the fields it had read: whatever changed meanwhile (the agent renaming the deal in the
// CRM) was silently reverted.

describe("invoicing a closed deal", () => {
  it("keeps what changed on the deal while QuickBooks was being written", async () => {
    const { dealId, fubDealId, loop } = await dealUnderContract(
      { firstName: "Slow", lastName: "Ledger", email: "slow.ledger@example.com", phone: "5125550177" },
      "31 Cedar Ct, Austin, TX 78704",
      600000,
    );
    const qboRequests = async () => (await (await fetch(`${SANDBOX}/_sandbox/quickbooks/counters`)).json<{ requests: number }>()).requests;
    await setSettings("quickbooks", { latencyMs: 2_000 });
    try {
      const before = await qboRequests();
      const dotloop = await agentDotloop();
      await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, {
        Financials: { "Sale Commission Total": "18,000" },
        "Contract Dates": { "Closing Date": "12/15/2026" },
      });
      await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });
      await deliverOutbox();
      // The invoice step has read the deal and is now waiting on QuickBooks.
      await eventually(async () => (await qboRequests()) > before, 15_000);

      // Meanwhile the agent renames the deal in the CRM, and the hub takes the new name.
      await fub("PUT", `/v1/deals/${fubDealId}`, { name: "31 Cedar Court, Austin, TX 78704" });
      await deliverOutbox();
      const nameOf = async () => {
        const row = await env.DB.prepare("SELECT fields FROM deals WHERE id = ?1").bind(dealId).first<{ fields: string }>();
        return (JSON.parse(row?.fields ?? "{}") as Record<string, { value?: unknown }>).name?.value;
      };
      await eventually(async () => (await nameOf()) === "31 Cedar Court, Austin, TX 78704", 10_000);
      expect(await stagesOf(dealId)).not.toContain("INVOICED");

      await eventually(async () => (await stagesOf(dealId)).includes("INVOICED"), 30_000);
      expect(await nameOf()).toBe("31 Cedar Court, Austin, TX 78704");
      const golden = await env.DB.prepare("SELECT name, gci_cents FROM deals WHERE id = ?1")
        .bind(dealId)
        .first<{ name: string; gci_cents: number }>();
      expect(golden).toEqual({ name: "31 Cedar Court, Austin, TX 78704", gci_cents: 1_800_000 });
    } finally {
      await setSettings("quickbooks", { latencyMs: 0 });
    }
  }, 60_000);
});
