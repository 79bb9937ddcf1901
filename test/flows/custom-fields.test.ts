import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { crmMessage } from "../../src/consumers/crm";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { tmsMessage } from "../../src/consumers/tms";
import { sendUnsentEvents } from "../../src/cron";
import { crmFor, tmsFor } from "../../src/vendors/systems";
import { handleTmsChange } from "../../src/consumers/tms-status";
import { golden, quiet } from "../helpers/deal-changes";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { agentDotloop, connect, fub, fubHeaders, stagesOf } from "../helpers/people";
import { deliverOutbox, records, resetSandbox, SANDBOX } from "../helpers/sandbox";
import { withQueuesDown } from "../helpers/queues";
import { overriding } from "../helpers/env";

interface Pipeline {
  id: number;
  name: string;
  stages: Array<{ id: number; name: string }>;
}

type Details = Record<string, Record<string, string>>;

/**
 * Delivers the vendors' webhooks until the hub's queued work has settled (three rounds at most):
 * an empty outbox after a quiet spell means nothing is left to set work off.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const delivered = await deliverOutbox();
    if (i > 0 && delivered.length === 0) return;
    await quiet();
  }
}

/** A website lead, once the hub has put it in Follow Up Boss; and the buyers' pipeline there. */
async function leadInCrm(firstName: string, lastName: string, email: string, phone: string) {
  await post(
    await signedDelivery("idx", {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { firstName, lastName, email, phone, message: "Call me" },
    }),
  );
  const person = await eventually(() =>
    env.DB.prepare(
      "SELECT l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind(email)
      .first<{ external_id: string }>(),
  );
  const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
  return { person, buyers: pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0] };
}

// The shipped configuration's worked example maps three fields: Compliance Status (an enum with a
// default, owned by Dotloop; the QuickBooks memo), Earnest Money (money; a QuickBooks custom
// field) and Inspection Date (a date read in Chicago time), each a Follow Up Boss deal custom
// field and a Dotloop loop-detail label.
describe("the brokerage's own fields, CRM → TMS → accounting and back, against the sandbox", () => {
  let fubDealId = 0;
  let dealId = "";
  let loop = { id: 0, profileId: 0 };
  let dotloop: Awaited<ReturnType<typeof agentDotloop>>;
  const details = async () => ((await dotloop("GET", `/profile/${loop.profileId}/loop/${loop.id}/detail`)) as { data: Details }).data;
  const fubDeal = () => fub<Record<string, unknown>>("GET", `/v1/deals/${fubDealId}`);

  beforeAll(async () => {
    await resetSandbox();
    await connect("dotloop");
    await connect("quickbooks");
    dotloop = await agentDotloop();
  });

  it("a transaction created from a Follow Up Boss deal carries its custom fields and the defaults into the loop details", async () => {
    const { person, buyers } = await leadInCrm("Casey", "Fields", "casey.fields@example.com", "5125550177");
    await deliverOutbox();
    const stageId = buyers?.stages.find((s) => s.name === "Under Contract")?.id;
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "48 Birch Rd, Austin, TX 78704",
      stageId,
      peopleIds: [Number(person.external_id)],
      price: 520000,
      customEarnestMoney: 5000,
      customInspectionDate: "2026-12-10",
    });
    fubDealId = deal.id;
    dealId = await eventually(async () => {
      await deliverOutbox();
      const row = await env.DB.prepare(
        "SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1",
      )
        .bind(String(deal.id))
        .first<{ canonical_id: string }>();
      return row && (await stagesOf(row.canonical_id)).includes("TMS_ID_WRITTEN") ? row.canonical_id : null;
    }, 15_000);
    const made = ((await records<{ loop?: Array<{ id: number; profileId: number }> }>("dotloop")).loop ?? [])[0];
    if (!made) throw new Error("no loop");
    loop = made;

    const d = await details();
    expect(d.Financials?.["Earnest Money Amount"]).toBe("5000");
    expect(d["Offer Dates"]?.["Inspection Date"]).toBe("12/10/2026");
    // Every new transaction gets the configured default status.
    expect(d["Contract Info"]?.Class).toBe("Pending Compliance Review");
  });

  it("the TMS's value of a field it owns (the default it was given) comes back to the CRM deal, and the golden record keeps where each came from", async () => {
    await settle();
    expect((await fubDeal()).customComplianceStatus).toBe("Pending Compliance Review");
    const g = await golden(dealId);
    expect(g.fields["custom.earnestMoney"]).toMatchObject({ value: 500_000, system: "followupboss" });
    expect(g.fields["custom.inspectionDate"]).toMatchObject({ value: "2026-12-10", system: "followupboss" });
    expect(g.fields["custom.complianceStatus"]).toMatchObject({ value: "Pending Compliance Review", system: "dotloop" });
  });

  it("a later change in the CRM reaches the loop once; its echo from Dotloop changes nothing", async () => {
    await new Promise((r) => setTimeout(r, 1_100)); // vendors stamp to the second: a later second
    await fub("PUT", `/v1/deals/${fubDealId}`, { customInspectionDate: "2026-12-12" });
    await settle();
    expect((await details())["Offer Dates"]?.["Inspection Date"]).toBe("12/12/2026");
    expect((await golden(dealId)).fields["custom.inspectionDate"]).toMatchObject({ value: "2026-12-12", system: "followupboss" });
    expect((await stagesOf(dealId)).filter((s) => s === "FIELDS_PUSHED")).toHaveLength(1);
  });

  it("a change in the TMS comes back to the CRM under the ownership policy, and the CRM's echo is not pushed back", async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, { "Contract Info": { Class: "ok" } }); // "ok" is the enum table's word for Approved
    await settle();
    expect((await fubDeal()).customComplianceStatus).toBe("Approved");
    expect((await golden(dealId)).fields["custom.complianceStatus"]).toMatchObject({ value: "Approved", system: "dotloop" });
    expect((await stagesOf(dealId)).filter((s) => s === "FIELDS_PUSHED")).toHaveLength(1);

    // Dotloop owns the status: the CRM's own edit of it neither wins the golden record nor reaches
    // the loop, and the CRM deal gets the owner's value back.
    await new Promise((r) => setTimeout(r, 1_100));
    await fub("PUT", `/v1/deals/${fubDealId}`, { customComplianceStatus: "Needs Attention" });
    await settle();
    expect((await golden(dealId)).fields["custom.complianceStatus"]).toMatchObject({ value: "Approved", system: "dotloop" });
    expect((await details())["Contract Info"]?.Class).toBe("ok");
    expect((await fubDeal()).customComplianceStatus).toBe("Approved");
    expect((await stagesOf(dealId)).filter((s) => s === "FIELDS_RESTORED")).toHaveLength(1);
  });

  it("a TMS edit of a field the CRM owns is written back over with the CRM's value, and the record keeps it", async () => {
    const base = brokerageConfig(env);
    const config = {
      ...base,
      fields: { ...base.fields, earnestMoney: { ...base.fields.earnestMoney, owner: "followupboss" } },
    } as typeof base;
    await new Promise((r) => setTimeout(r, 1_100));
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, { Financials: { "Earnest Money Amount": "9,999" } });
    expect(await handleTmsChange(String(loop.id), "dlv_owned_by_crm", env, config, tmsFor(env, config))).toMatchObject({ ok: true });
    expect((await details()).Financials?.["Earnest Money Amount"]).toBe("5000");
    expect((await golden(dealId)).fields["custom.earnestMoney"]).toMatchObject({ value: 500_000, system: "followupboss" });
    expect((await stagesOf(dealId)).filter((s) => s === "FIELDS_RESTORED")).toHaveLength(2);
    await settle();
    expect((await fubDeal()).customEarnestMoney).toBe(5000);
  });

  it("a change in the CRM whose event the queues refused reaches the loop by the next scheduled run", async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    await fub("PUT", `/v1/deals/${fubDealId}`, { customInspectionDate: "2026-12-15" });
    const config = brokerageConfig(env);
    const crm = crmFor(env, config);
    const queuesDown = withQueuesDown(env, "TMS", "CRM");
    await expect(handleCrmDeal(String(fubDealId), "dlv_fields_outbox", queuesDown, config, crm)).rejects.toThrow(/queue unavailable/);
    expect((await golden(dealId)).fields["custom.inspectionDate"]).toMatchObject({ value: "2026-12-15" });

    // The retry finds the golden deal holding the new date: the change itself is not made again.
    expect(await handleCrmDeal(String(fubDealId), "dlv_fields_outbox", env, config, crm)).toEqual({
      ok: true,
      value: "transaction_exists",
    });
    expect(await sendUnsentEvents(env, Date.now() + 120_000)).toBe(1);
    await settle();
    expect((await details())["Offer Dates"]?.["Inspection Date"]).toBe("12/15/2026");
  });

  it("a late copy of an older field change, either way, writes what the deal holds now, not the older value", async () => {
    const at = new Date().toISOString();
    const late = (type: "deal.upserted" | "transaction.upserted", system: "followupboss" | "dotloop", custom: Record<string, string>) => {
      const id = `late_${crypto.randomUUID()}`;
      const record = { id: dealId, custom, dates: {}, participants: [] };
      return {
        v: 1,
        event: {
          id,
          type,
          schemaVersion: 1,
          occurredAt: at,
          receivedAt: at,
          source: { system, deliveryId: id },
          subject: { kind: "deal" },
          data: type === "deal.upserted" ? { deal: record } : { transaction: record },
        },
      };
    };
    // The CRM's change of the inspection date to the 12th, replayed after the 15th was set.
    expect(await tmsMessage(late("deal.upserted", "followupboss", { inspectionDate: "2026-12-12" }), env)).toMatchObject({ ok: true });
    expect((await details())["Offer Dates"]?.["Inspection Date"]).toBe("12/15/2026");
    // Dotloop's default compliance status, replayed after the loop was approved.
    expect(await crmMessage(late("transaction.upserted", "dotloop", { complianceStatus: "Pending Compliance Review" }), env)).toMatchObject(
      { ok: true },
    );
    expect((await fubDeal()).customComplianceStatus).toBe("Approved");
  });

  it("a value in the TMS that does not fit its field's type is left out, and raised as drift naming the field, never the value", async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, { Financials: { "Earnest Money Amount": "five grand" } });
    await settle();
    // The golden deal and the CRM keep the last valid amount.
    expect((await golden(dealId)).fields["custom.earnestMoney"]).toMatchObject({ value: 500_000 });
    expect((await fubDeal()).customEarnestMoney).toBe(5000);
    const drift = await env.DB.prepare(
      "SELECT sample FROM drift WHERE source = 'dotloop' AND field = 'fields.earnestMoney' AND kind = 'value_invalid'",
    ).first<{
      sample: string | null;
    }>();
    expect(drift).toEqual({ sample: null });
    const alert = await env.DB.prepare("SELECT state, detail FROM alerts WHERE key = 'drift:dotloop:value_invalid'").first<{
      state: string;
      detail: string;
    }>();
    expect(alert?.state).toBe("firing");
    expect(alert?.detail).toContain("fields.earnestMoney");
    expect(alert?.detail).not.toContain("five grand");

    // The same from the CRM: a compliance status in neither the field's values nor its table.
    await fub("PUT", `/v1/deals/${fubDealId}`, { customComplianceStatus: "Bogus Status" });
    await settle();
    expect(
      await env.DB.prepare("SELECT kind FROM drift WHERE source = 'followupboss' AND field = 'fields.complianceStatus'").first<{
        kind: string;
      }>(),
    ).toEqual({ kind: "value_invalid" });
  });

  it("the closed transaction's QuickBooks invoice carries the mapped custom field and memo", async () => {
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, { Financials: { "Sale Commission Total": "15,600" } });
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });
    await eventually(async () => {
      await deliverOutbox();
      return (await stagesOf(dealId)).includes("INVOICED");
    }, 15_000);
    const invoices =
      (await records<Record<string, Array<{ CustomField?: unknown; PrivateNote?: string; TotalAmt?: number }>>>("quickbooks"))[
        "qbo:Invoice"
      ] ?? [];
    expect(invoices).toHaveLength(1);
    expect(invoices[0]?.TotalAmt).toBe(15600);
    expect(invoices[0]?.CustomField).toEqual([{ DefinitionId: "1", Name: "Earnest Money", Type: "StringType", StringValue: "5000" }]);
    expect(invoices[0]?.PrivateNote).toContain("Compliance Status: Approved");
  });

  it("a trigger processed after the deal's fields changed creates the transaction with the values the deal holds when it is created, not those of the trigger's copy, and the CRM keeps them", async () => {
    const { person, buyers } = await leadInCrm("Robin", "Late", "robin.late@example.com", "5125550178");
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "12 Cedar Ln, Austin, TX 78704",
      stageId: buyers?.stages.find((s) => s.name === "Under Contract")?.id,
      peopleIds: [Number(person.external_id)],
      price: 410000,
      customEarnestMoney: 4000,
      customInspectionDate: "2026-12-20",
    });
    // The trigger is sent to a TMS queue the test holds: it waits there while the agent edits.
    const held: unknown[] = [];
    const holding = overriding(env, {
      TMS: {
        send: async (body: unknown) => void held.push(body),
        sendBatch: async (msgs: Iterable<{ body: unknown }>) => void held.push(...[...msgs].map((m) => m.body)),
      },
    });
    const config = brokerageConfig(env);
    const crm = crmFor(env, config);
    expect(await handleCrmDeal(String(deal.id), "dlv_late_trigger", holding, config, crm)).toEqual({
      ok: true,
      value: "transaction_requested",
    });
    const trigger = held.find((m) => (m as { event: { type: string } }).event.type === "deal.stage_changed");
    if (!trigger) throw new Error("no trigger was sent");

    await new Promise((r) => setTimeout(r, 1_100)); // vendors stamp to the second: a later second
    await fub("PUT", `/v1/deals/${deal.id}`, { customInspectionDate: "2026-12-22" });
    await handleCrmDeal(String(deal.id), "dlv_late_edit", holding, config, crm);
    const laterId = (
      await env.DB.prepare("SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1")
        .bind(String(deal.id))
        .first<{ canonical_id: string }>()
    )?.canonical_id as string;
    expect((await golden(laterId)).fields["custom.inspectionDate"]).toMatchObject({ value: "2026-12-22" });

    // The first trigger's copy, carrying the 20th, is the one the TMS consumer takes.
    expect(await tmsMessage(trigger, env)).toMatchObject({ ok: true, value: "created" });
    const loopId = (
      await env.DB.prepare("SELECT external_id FROM links WHERE system = 'dotloop' AND kind = 'transaction' AND canonical_id = ?1")
        .bind(laterId)
        .first<{ external_id: string }>()
    )?.external_id;
    const made = ((await records<{ loop?: Array<{ id: number; profileId: number }> }>("dotloop")).loop ?? []).find(
      (l) => String(l.id) === loopId,
    );
    if (!made) throw new Error("no loop");
    const madeDetails = async () => ((await dotloop("GET", `/profile/${made.profileId}/loop/${made.id}/detail`)) as { data: Details }).data;
    expect((await madeDetails())["Offer Dates"]?.["Inspection Date"]).toBe("12/22/2026");

    await settle();
    expect((await fub<Record<string, unknown>>("GET", `/v1/deals/${deal.id}`)).customInspectionDate).toBe("2026-12-22");
    expect((await golden(laterId)).fields["custom.inspectionDate"]).toMatchObject({ value: "2026-12-22", system: "followupboss" });
  });

  it("a CRM value of a field the TMS owns, on a deal holding no value of it yet, is not written over the owner's", async () => {
    // As a deal from before the field was declared (or backfilled) holds it: not at all.
    await env.DB.prepare("UPDATE deals SET fields = json_remove(fields, '$.\"custom.complianceStatus\"') WHERE id = ?1").bind(dealId).run();
    await new Promise((r) => setTimeout(r, 1_100));
    await fub("PUT", `/v1/deals/${fubDealId}`, { customComplianceStatus: "Needs Attention" });
    const config = brokerageConfig(env);
    expect(await handleCrmDeal(String(fubDealId), "dlv_unowned_yet", env, config, crmFor(env, config))).toMatchObject({ ok: true });
    await settle();
    expect((await details())["Contract Info"]?.Class).toBe("ok");
  });
});

describe("the sandbox refuses writes to custom fields the account does not define, as the vendors do", () => {
  it("Follow Up Boss answers 400 for a deal custom field that is not defined", async () => {
    await resetSandbox();
    const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
    const stageId = pipelines[0]?.stages[0]?.id;
    const r = await fetch(`${SANDBOX}/followupboss/v1/deals`, {
      method: "POST",
      headers: fubHeaders,
      body: JSON.stringify({ name: "x", stageId, customNoSuchField: "1" }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ errorMessage: "Invalid custom field: customNoSuchField" });
    const defined = await fub<{ dealCustomFields: Array<{ name: string; type: string }> }>("GET", "/v1/dealCustomFields");
    expect(defined.dealCustomFields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["customComplianceStatus", "customEarnestMoney", "customInspectionDate"]),
    );
  });
});
