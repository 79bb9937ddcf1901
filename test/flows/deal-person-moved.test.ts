import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { crmFor } from "../../src/vendors/systems";
import { closeInTms, quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { agentDotloop, fub, stagesOf } from "../helpers/people";
import { deliverOutbox, records } from "../helpers/sandbox";

type QboRecords = Record<
  string,
  Array<{ Id: string; DisplayName?: string; CustomerRef?: { value: string }; PrivateNote?: string }> | undefined
>;

describe("a CRM deal whose client the agent changes to another contact", () => {
  it("follows the new client: the golden deal names them, and the close is invoiced to them", async () => {
    const d = await dealUnderContract(
      { firstName: "Pia", lastName: "Former", email: "pia.former@example.com", phone: "5125550181" },
      "3 Cedar Ct, Austin, TX 78702",
      380000,
    );
    await post(
      await signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Rey", lastName: "Latter", email: "rey.latter@example.com", phone: "5125550182", message: "Buying with Pia" },
      }),
    );
    const rey = await eventually(() =>
      env.DB.prepare(
        "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
      )
        .bind("rey.latter@example.com")
        .first<{ id: string; external_id: string }>(),
    );
    await deliverOutbox();
    await quiet();

    await fub("PUT", `/v1/deals/${d.fubDealId}`, { peopleIds: [Number(rey.external_id)] });
    const config = brokerageConfig(env);
    expect(await handleCrmDeal(String(d.fubDealId), "fub-client-changed", env, config, crmFor(env, config))).toMatchObject({ ok: true });
    const deal = await env.DB.prepare("SELECT person_id FROM deals WHERE id = ?1").bind(d.dealId).first<{ person_id: string }>();
    expect(deal?.person_id).toBe(rey.id);

    const dotloop = await agentDotloop();
    await dotloop("PATCH", `/profile/${d.loop.profileId}/loop/${d.loop.id}/detail`, { Financials: { "Sale Commission Total": "11,400" } });
    await closeInTms(d);
    await eventually(async () => (await stagesOf(d.dealId)).includes("INVOICED"), 20_000);
    const qbo = await records<QboRecords>("quickbooks");
    const invoice = (qbo["qbo:Invoice"] ?? []).find((i) => i.PrivateNote?.startsWith(`dealwire ${d.dealId}`));
    expect((qbo["qbo:Customer"] ?? []).find((c) => c.Id === invoice?.CustomerRef?.value)?.DisplayName).toBe("Rey Latter");
  }, 90_000);
});
