import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleTmsChange } from "../../src/consumers/tms-status";
import { sendUnsentEvents } from "../../src/cron";
import { tmsFor } from "../../src/vendors/systems";
import { quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { agentDotloop, fub, stagesOf } from "../helpers/people";
import { records } from "../helpers/sandbox";
import { withQueuesDown } from "../helpers/queues";

const outbox = async () =>
  (await env.DB.prepare("SELECT event_id FROM outbox ORDER BY event_id").all<{ event_id: string }>()).results.map((r) => r.event_id);

describe("a deal closed in the TMS while the queues refuse the close's follow-on events", () => {
  it("is invoiced and moved to Closed in the CRM by the next scheduled run, once", async () => {
    const { dealId, fubDealId, loop, stage } = await dealUnderContract(
      { firstName: "Quinn", lastName: "Outbox", email: "quinn.outbox@example.com", phone: "5125550139" },
      "58 Walnut St, Austin, TX 78705",
      420000,
    );
    await quiet();
    const config = brokerageConfig(env);
    const tms = tmsFor(env, config);
    const dotloop = await agentDotloop();
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, {
      Financials: { "Sale Commission Total": "12,600" },
      "Contract Dates": { "Closing Date": "12/18/2026" },
    });
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });

    // The close is recorded, then the queues refuse what it sets off: the message fails.
    const queuesDown = withQueuesDown(env, "CRM", "ACCOUNTING");
    await expect(handleTmsChange(String(loop.id), "close-announcement", queuesDown, config, tms)).rejects.toThrow(/queue unavailable/);
    const golden = await env.DB.prepare("SELECT stage, closed_at FROM deals WHERE id = ?1")
      .bind(dealId)
      .first<{ stage: string; closed_at: number | null }>();
    expect(golden?.stage).toBe("closed");
    expect(golden?.closed_at).not.toBeNull();
    const recorded = await outbox();
    expect(recorded).toContain(`${dealId}:closed`);
    expect(recorded.some((id) => id.startsWith(`${dealId}:status:closed:`))).toBe(true);

    // Its retry finds the deal closed already: nothing of the change is left to send from there.
    expect(await handleTmsChange(String(loop.id), "close-announcement", env, config, tms)).toEqual({ ok: true, value: "unchanged" });
    // The scheduled run waits a minute for the consumer's own send, then sends what is left.
    expect(await sendUnsentEvents(env, Date.now())).toBe(0);
    expect(await sendUnsentEvents(env, Date.now() + 120_000)).toBe(recorded.length);
    expect(await outbox()).toEqual([]);

    await eventually(async () => (await stagesOf(dealId)).includes("INVOICED"), 20_000);
    await eventually(async () => (await fub<{ stageId: number }>("GET", `/v1/deals/${fubDealId}`)).stageId === stage("Closed"), 20_000);
    // A second run finds nothing to send, and the deal has one invoice.
    expect(await sendUnsentEvents(env, Date.now() + 240_000)).toBe(0);
    await quiet();
    const invoices = ((await records<Record<string, unknown[] | undefined>>("quickbooks"))["qbo:Invoice"] ?? []).filter((i) =>
      JSON.stringify(i).includes("58 Walnut St"),
    );
    expect(invoices).toHaveLength(1);
    expect((await stagesOf(dealId)).filter((s) => s === "INVOICED")).toHaveLength(1);
  }, 90_000);
});
