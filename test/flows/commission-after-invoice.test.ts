import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleTmsChange } from "../../src/consumers/tms-status";
import { tmsFor } from "../../src/vendors/systems";
import { closeInTms, quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { agentDotloop, stagesOf } from "../helpers/people";
import { deliverOutbox } from "../helpers/sandbox";

describe("a commission corrected in the TMS after the deal was invoiced", () => {
  it("raises an alert naming the amount billed, since the hub does not bill a deal twice", async () => {
    const d = await dealUnderContract(
      { firstName: "Cole", lastName: "Later", email: "cole.later@example.com", phone: "5125550184" },
      "7 Aspen Way, Austin, TX 78703",
      400000,
    );
    await quiet();
    const dotloop = await agentDotloop();
    const detail = (total: string) =>
      dotloop("PATCH", `/profile/${d.loop.profileId}/loop/${d.loop.id}/detail`, { Financials: { "Sale Commission Total": total } });
    await detail("12,000");
    await closeInTms(d);
    await eventually(async () => {
      await deliverOutbox();
      return (await stagesOf(d.dealId)).includes("INVOICED");
    }, 20_000);
    const alert = () =>
      env.DB.prepare("SELECT state, severity, detail FROM alerts WHERE key = ?1")
        .bind(`commission_changed_after_invoice:${d.dealId}`)
        .first<{ state: string; severity: string; detail: string }>();
    expect(await alert()).toBeNull();

    await new Promise((r) => setTimeout(r, 1_100)); // a later second of Dotloop's clock
    await detail("9,500");
    const config = brokerageConfig(env);
    expect(await handleTmsChange(String(d.loop.id), "dlv_commission_fixed", env, config, tmsFor(env, config))).toMatchObject({ ok: true });
    expect(await alert()).toMatchObject({ state: "firing", severity: "warning" });
    expect((await alert())?.detail).toContain("$12,000.00");
  }, 90_000);
});
