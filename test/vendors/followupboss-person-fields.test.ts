import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { FieldsConfig } from "../../src/config/fields";
import { brokerageConfig } from "../../src/config/load";
import { FollowUpBossCrm } from "../../src/vendors/followupboss/crm";
import { connectionFor } from "../../src/vendors/registry";
import { writeFields } from "../../src/consumers/crm-sync";
import { linkStatement } from "../../src/store/links";
import { fub, fubPersonNotice } from "../helpers/people";
import { overriding } from "../helpers/env";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { setSettings } from "../helpers/sandbox";
import defaults from "../../config/brokerage.json";
import { crmMessage } from "../../src/consumers/crm";
import { handleCrmDeal, mergeCrmDeal } from "../../src/consumers/crm-deal";
import { getDeal } from "../../src/store/deals";
import { crmFor } from "../../src/vendors/systems";

/** The shipped configuration plus a field kept on the Follow Up Boss person (the sandbox's `Close Date`). */
function personFieldConfig() {
  const base = brokerageConfig(env);
  const fields = FieldsConfig.parse({
    ...base.fields,
    closeDate: {
      label: "Close Date",
      type: "date",
      followupboss: { person: "customCloseDate" },
      dotloop: { section: "Contract Dates", field: "Closing Date" },
    },
  });
  return { ...base, fields };
}

function withPersonField() {
  const config = personFieldConfig();
  const conn = config.connections.find((c) => c.vendor === "followupboss");
  if (!conn) throw new Error("no Follow Up Boss connection in the test configuration");
  return new FollowUpBossCrm(connectionFor(env, conn), config);
}

describe("brokerage fields kept on the Follow Up Boss person", () => {
  let personId = 0;
  let dealId = 0;

  beforeAll(async () => {
    const person = await fub<{ id: number }>("POST", "/v1/people", {
      firstName: "Pat",
      lastName: "Persona",
      emails: [{ value: "pat.persona@example.com" }],
      customCloseDate: "2026-12-20",
    });
    personId = person.id;
    const { pipelines } = await fub<{ pipelines: Array<{ stages: Array<{ id: number; name: string }> }> }>("GET", "/v1/pipelines");
    const stageId = pipelines[0]?.stages.find((s) => s.name === "Active Client")?.id;
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "7 Persona Pl",
      stageId,
      peopleIds: [personId],
      price: 300000,
      customEarnestMoney: 2500,
    });
    dealId = deal.id;
  });

  it("a deal read carries its person's field beside its own", async () => {
    const r = await withPersonField().getDeal(String(dealId));
    expect(r.ok).toBe(true);
    if (!r.ok || !r.value) return;
    expect(r.value.deal.custom).toMatchObject({ closeDate: "2026-12-20", earnestMoney: 250_000 });
  });

  it("a value written back for the deal goes to the person for a person field and to the deal for a deal field", async () => {
    const r = await withPersonField().updateDealFields(String(dealId), { closeDate: "2026-12-28", earnestMoney: 300_000 });
    expect(r.ok).toBe(true);
    const person = await fub<Record<string, unknown>>("GET", `/v1/people/${personId}?fields=allFields`);
    const deal = await fub<Record<string, unknown>>("GET", `/v1/deals/${dealId}`);
    expect(person.customCloseDate).toBe("2026-12-28");
    expect(deal.customEarnestMoney).toBe(3000);
    expect(deal.customCloseDate).toBeUndefined();
  });

  it("a TMS change of a field kept on the person alone reaches the Follow Up Boss person", async () => {
    const golden = `deal_${crypto.randomUUID()}`;
    await linkStatement(
      env.DB,
      { system: "followupboss", kind: "deal", externalId: String(dealId), canonicalId: golden },
      Date.now(),
    ).run();
    const at = new Date().toISOString();
    const event = {
      id: `evt_${crypto.randomUUID()}`,
      type: "transaction.upserted" as const,
      schemaVersion: 1 as const,
      occurredAt: at,
      receivedAt: at,
      source: { system: "dotloop" as const, deliveryId: "dlv_person_field" },
      subject: { kind: "deal" as const },
      data: { transaction: { id: golden, custom: { closeDate: "2027-01-05" }, dates: {}, participants: [] } },
    };
    expect(await writeFields(event, env, personFieldConfig(), withPersonField())).toEqual({ ok: true, value: "fields_written" });
    const person = await fub<Record<string, unknown>>("GET", `/v1/people/${personId}?fields=allFields`);
    expect(person.customCloseDate).toBe("2027-01-05");
  });

  /**
   * The hub, configured with the close date kept on the person, knowing the person (a lead of
   * theirs found them in Follow Up Boss) and the deal (read once).
   */
  async function knownToTheHub(): Promise<Env> {
    const doc = structuredClone(defaults) as unknown as { fields: Record<string, unknown> };
    doc.fields.closeDate = {
      label: "Close Date",
      type: "date",
      followupboss: { person: "customCloseDate" },
      dotloop: { section: "Contract Dates", field: "Closing Date" },
    };
    const appEnv = overriding(env, { BROKERAGE_CONFIG: JSON.stringify(doc) });
    const config = brokerageConfig(appEnv);
    await post(
      await signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Pat", lastName: "Persona", email: "pat.persona@example.com", message: "hello" },
      }),
    );
    await eventually(() =>
      env.DB.prepare("SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'person' AND external_id = ?1")
        .bind(String(personId))
        .first(),
    );
    expect(await handleCrmDeal(String(dealId), `dlv_${crypto.randomUUID()}`, appEnv, config, crmFor(appEnv, config))).toMatchObject({
      ok: true,
    });
    return appEnv;
  }

  it("an edit of the person's field alone (a person notice, no deal notice) reaches the golden deal", async () => {
    const appEnv = await knownToTheHub();
    const golden = await env.DB.prepare(
      "SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1",
    )
      .bind(String(dealId))
      .first<{ canonical_id: string }>();
    const closeDate = async () =>
      (JSON.parse((await getDeal(env.DB, golden?.canonical_id ?? ""))?.fields ?? "{}") as Record<string, { value: unknown }>)[
        "custom.closeDate"
      ]?.value;

    await new Promise((r) => setTimeout(r, 1_100));
    await fub("PUT", `/v1/people/${personId}`, { customCloseDate: "2027-02-01" });
    expect(await crmMessage(fubPersonNotice(personId, new Date().toISOString()), appEnv)).toMatchObject({ ok: true });
    expect(await closeDate()).toBe("2027-02-01");
  });

  it("a deal read again for its person's edit that the CRM refuses for good fails into a dead letter of its own", async () => {
    const appEnv = await knownToTheHub();

    await setSettings("followupboss", { rejectReads: { match: `^GET \\S*/v1/deals/${dealId}\\b`, status: 403 } });
    try {
      await fub("PUT", `/v1/people/${personId}`, { customCloseDate: "2027-03-01" });
      const notice = fubPersonNotice(personId, new Date().toISOString());
      expect(await crmMessage(notice, appEnv)).toMatchObject({ ok: true });
      const letter = await eventually(() =>
        env.DB.prepare(`SELECT error_code FROM dead_letters WHERE status = 'open' AND payload ->> '$.event.id' = ?1`)
          .bind(`${notice.event.id}:deal:${dealId}`)
          .first<{ error_code: string }>(),
      );
      expect(letter.error_code).toMatch(/403/);
    } finally {
      await setSettings("followupboss", { rejectReads: null });
    }
  });

  it("a field read from the person merges at the person's change time, not the deal's older one", () => {
    const current = { "custom.closeDate": { value: "2027-01-10", system: "dotloop", at: "2026-12-05T12:00:00Z" } };
    const read = {
      externalId: "1",
      name: "7 Persona Pl",
      vendorStage: null,
      stage: null,
      personExternalIds: ["2"],
      customFields: {},
      deal: { id: "1", name: "7 Persona Pl", dates: {}, participants: [], custom: { closeDate: "2027-02-01", earnestMoney: 100 } },
      updatedAt: "2026-12-05T11:00:00Z",
      personFields: { names: ["closeDate"], updatedAt: "2026-12-05T13:00:00Z" },
    };
    const merged = mergeCrmDeal(current, {}, read, "followupboss", read.updatedAt, {});
    expect(merged.fields["custom.closeDate"]).toEqual({ value: "2027-02-01", system: "followupboss", at: "2026-12-05T13:00:00Z" });
    expect(merged.fields["custom.earnestMoney"]).toMatchObject({ value: 100, at: "2026-12-05T11:00:00Z" });
    expect(merged.changed.sort()).toEqual(["custom.closeDate", "custom.earnestMoney"]);
  });
});
