import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DealStage } from "../../src/canonical";
import { crmMessage } from "../../src/consumers/crm";
import { insertDealStatement } from "../../src/store/deals";
import { linkStatement } from "../../src/store/links";
import { statusChanged } from "../helpers/deal-events";
import { fub, stagesOf } from "../helpers/people";
import { resetSandbox, setSettings } from "../helpers/sandbox";

interface Pipeline {
  name: string;
  stages: Array<{ id: number; name: string }>;
}

/** A Follow Up Boss deal under contract, linked to a golden deal at `stage`. */
async function linkedDeal(stageNow: DealStage) {
  const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
  const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
  const stage = (name: string) => buyers?.stages.find((s) => s.name === name)?.id;
  const deal = await fub<{ id: number }>("POST", "/v1/deals", { name: "12 Race Ln, Austin, TX 78701", stageId: stage("Active Client") });
  const dealId = `deal_${crypto.randomUUID()}`;
  const now = Date.now();
  await env.DB.batch([
    insertDealStatement(env.DB, { id: dealId, name: "12 Race Ln", stage: stageNow, fields: {} }, now),
    linkStatement(env.DB, { system: "followupboss", kind: "deal", externalId: String(deal.id), canonicalId: dealId }, now),
  ]);
  const inCrm = async () => (await fub<{ stageId: number }>("GET", `/v1/deals/${deal.id}`)).stageId;
  /** The golden deal moves on, as the TMS's next change does before its event is sent. */
  const moveTo = (to: DealStage) => env.DB.prepare("UPDATE deals SET stage = ?2 WHERE id = ?1").bind(dealId, to).run();
  return { dealId, now, stage, inCrm, moveTo };
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two status changes of one deal made seconds apart can reach the CRM consumer together (one batch
// runs its messages side by side), each call to the CRM taking its time.
describe("two status changes of one deal applied at the same time", () => {
  beforeAll(async () => {
    await resetSandbox();
  });
  afterEach(() => setSettings("followupboss", { latencyMs: 0 }));

  it("apply the later status after the earlier one's call when the earlier one started first", async () => {
    const { dealId, now, stage, inCrm, moveTo } = await linkedDeal("under_contract");
    await setSettings("followupboss", { latencyMs: 400 });
    const pending = crmMessage(statusChanged(dealId, "active", "under_contract", now - 2_000), env);
    await later(100);
    await moveTo("closed");
    const closing = statusChanged(dealId, "under_contract", "closed", now - 1_000);
    // It waits for the earlier one, without spending a retry, rather than racing it.
    expect(await crmMessage(closing, env)).toMatchObject({ ok: false, error: { code: "in_progress", defer: true } });
    expect(await pending).toEqual({ ok: true, value: "under_contract" });
    expect(await crmMessage(closing, env)).toEqual({ ok: true, value: "closed" });
    expect(await inCrm()).toBe(stage("Closed"));
  });

  it("leave the CRM deal at the later status when the earlier one comes after it, even while its call is under way", async () => {
    const { dealId, now, stage, inCrm } = await linkedDeal("closed");
    await setSettings("followupboss", { latencyMs: 400 });
    const closing = crmMessage(statusChanged(dealId, "under_contract", "closed", now - 1_000), env);
    await later(100);
    expect(await crmMessage(statusChanged(dealId, "active", "under_contract", now - 2_000), env)).toEqual({
      ok: true,
      value: "superseded",
    });
    expect(await closing).toEqual({ ok: true, value: "closed" });
    expect(await inCrm()).toBe(stage("Closed"));
    expect((await stagesOf(dealId)).filter((s) => s === "STATUS_SYNCED")).toHaveLength(1);
  });
});
