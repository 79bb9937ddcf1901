import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { fub, hub, stagesOf } from "../helpers/people";
import { deliverOutbox, records, resetSandbox, sandbox } from "../helpers/sandbox";

// A deal under contract must get its transaction even when the processing that saw the stage
// change stored the stage and then failed (a 5xx on the buyer's fetch): its retry, the
// redelivered webhook and the backup poll all find the stage unchanged, so each of them must
// still ask for the transaction. The same holds for a deal halted on missing data that the
// agent then fills in.

interface Letter {
  id: string;
  status: string;
  reason: string | null;
  error_code: string;
  error: string;
}

/** The dead letters filed under one subject, oldest first. */
async function lettersOf(subject: string): Promise<Letter[]> {
  const { results } = await env.DB.prepare(
    "SELECT id, status, reason, error_code, error FROM dead_letters WHERE subject = ?1 ORDER BY created_at, id",
  )
    .bind(subject)
    .all<Letter>();
  return results;
}

/** One Follow Up Boss dealsUpdated notice naming several deals, as it batches changes. */
const dealsUpdated = (ids: number[]) => ({
  eventId: `fub-${crypto.randomUUID()}`,
  eventCreated: new Date().toISOString(),
  event: "dealsUpdated",
  resourceIds: ids,
  uri: `https://api.followupboss.com/v1/deals?id=${ids.join(",")}`,
});

/** The dead letters of a deal halted before its transaction, oldest first. */
const haltLetters = (dealId: string) => lettersOf(`deal:${dealId}:transaction_halted`);

const ops = (path: string, init: RequestInit = {}) =>
  hub(`/ops/api${path}`, { ...init, headers: { authorization: `Bearer ${env.OPS_TOKEN}`, ...init.headers } });

/** The golden deal of a Follow Up Boss deal, once stored (its link is claimed a step before the row). */
async function dealIdOf(fubDealId: number): Promise<string | null> {
  const row = await env.DB.prepare(
    "SELECT l.canonical_id FROM links l JOIN deals d ON d.id = l.canonical_id WHERE l.system = 'followupboss' AND l.kind = 'deal' AND l.external_id = ?1",
  )
    .bind(String(fubDealId))
    .first<{ canonical_id: string }>();
  return row?.canonical_id ?? null;
}

interface Pipeline {
  id: number;
  name: string;
  stages: Array<{ id: number; name: string }>;
}

describe("a deal at the trigger stage without a transaction gets one the next time the hub sees it", () => {
  let personFubId = 0;
  let stage: (name: string) => number | undefined = () => undefined;

  beforeAll(async () => {
    await resetSandbox();
    const start = await hub("/connect/dotloop", { redirect: "manual", headers: { authorization: `Bearer ${env.OPS_TOKEN}` } });
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const back = new URL((await fetch(start.headers.get("location") ?? "", { redirect: "manual" })).headers.get("location") ?? "");
    expect((await hub(`${back.pathname}${back.search}`, { headers: { cookie } })).status).toBe(200);
    await post(
      await signedDelivery("idx", {
        type: "lead.created",
        timestamp: new Date().toISOString(),
        data: { firstName: "Rosa", lastName: "Trigger", email: "rosa.trigger@example.com", phone: "5125550188", message: "Call me" },
      }),
    );
    const row = await eventually(() =>
      env.DB.prepare(
        "SELECT l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = 'rosa.trigger@example.com'",
      ).first<{ external_id: string }>(),
    );
    personFubId = Number(row.external_id);
    await deliverOutbox();
    const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
    const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
    stage = (name) => buyers?.stages.find((s) => s.name === name)?.id;
  });

  /** The lead's new Follow Up Boss deal, an active client's, once the hub has linked it. */
  async function activeDeal(name: string, price: number): Promise<{ deal: { id: number }; dealId: string }> {
    const deal = await fub<{ id: number }>("POST", "/v1/deals", { name, stageId: stage("Active Client"), peopleIds: [personFubId], price });
    await deliverOutbox();
    return { deal, dealId: await eventually(() => dealIdOf(deal.id), 10_000) };
  }

  it("a deal that halted under contract for want of an address gets its loop once the agent names the property", async () => {
    // Under contract, but the deal's name is no address and the buyer never asked about one.
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "Trigger family purchase",
      stageId: stage("Under Contract"),
      peopleIds: [personFubId],
      price: 380000,
    });
    await deliverOutbox();
    const dealId = await eventually(async () => {
      const id = await dealIdOf(deal.id);
      return id && (await stagesOf(id)).includes("TMS_HALTED") ? id : null;
    }, 10_000);
    expect((await records<{ loop?: unknown[] }>("dotloop")).loop ?? []).toHaveLength(0);
    // Halted: one dead letter for ops, naming the deal and what is missing.
    const [first] = await eventually(async () => ((await haltLetters(dealId)).length ? haltLetters(dealId) : null), 10_000);
    expect(first).toMatchObject({ status: "open", error_code: "transaction_incomplete" });
    expect(first?.error).toContain(dealId);
    expect(first?.error).toContain("missing property address");

    // Every later notice of the still-incomplete deal halts again, and is the same letter: the
    // agent edits the price (a new webhook), twice, and the halt is traced each time.
    for (const price of [381000, 382000]) {
      await fub("PUT", `/v1/deals/${deal.id}`, { price });
      await deliverOutbox();
    }
    await eventually(async () => ((await stagesOf(dealId)).filter((s) => s === "TMS_HALTED").length >= 3 ? true : null), 10_000);
    await new Promise((r) => setTimeout(r, 1_500)); // the dead-letter queue's batch
    expect((await haltLetters(dealId)).map((l) => [l.id, l.status])).toEqual([[first?.id, "open"]]);

    // Replayed while the data is still missing, it halts again: the replayed letter is closed and
    // one letter is open again (a replay never looks like a fix it was not).
    expect((await ops(`/dead-letters/${first?.id}/replay`, { method: "POST" })).status).toBe(200);
    const again = await eventually(async () => {
      const letters = await haltLetters(dealId);
      return letters.length === 2 ? letters : null;
    }, 10_000);
    expect(again.map((l) => l.status)).toEqual(["replayed", "open"]);

    // The agent fixes the deal; its stage does not change, but it still has no transaction.
    await fub("PUT", `/v1/deals/${deal.id}`, { name: "45 Elm St, Austin, TX 78701" });
    await deliverOutbox();
    await eventually(async () => (await stagesOf(dealId)).includes("TMS_ID_WRITTEN"), 15_000);
    // The open letter had nothing left to replay: it is closed, saying why (just after the TMS is asked).
    const resolved = await eventually(async () => {
      const letter = (await haltLetters(dealId)).find((l) => l.id === again[1]?.id);
      return letter?.status === "open" ? null : letter;
    }, 10_000);
    expect(resolved).toMatchObject({ status: "discarded", reason: expect.stringMatching(/^resolved: /) });
    const loops = (await records<{ loop?: Array<{ id: number; name: string }> }>("dotloop")).loop ?? [];
    expect(loops).toHaveLength(1);
    expect(loops[0]?.name).toContain("45 Elm St");
    const fubDeal = await fub<Record<string, unknown>>("GET", `/v1/deals/${deal.id}`);
    expect(String(fubDeal.customTransactionID)).toBe(String(loops[0]?.id));

    // Later notices of the deal (its own TMS id write, a redelivery) create nothing more.
    await deliverOutbox({ times: 2 });
    await new Promise((r) => setTimeout(r, 500));
    expect((await records<{ loop?: unknown[] }>("dotloop")).loop ?? []).toHaveLength(1);
    expect((await stagesOf(dealId)).filter((s) => s === "TMS_CREATED")).toHaveLength(1);
  });

  it("a halted deal does not hold back another deal of the same notice", async () => {
    const halted = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "Okafor family purchase",
      stageId: stage("Under Contract"),
      peopleIds: [personFubId],
      price: 300000,
    });
    const ready = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "9 Birch Rd, Austin, TX 78703",
      stageId: stage("Under Contract"),
      peopleIds: [personFubId],
      price: 310000,
    });
    // Follow Up Boss batches changes: one dealsUpdated notice names both deals, halted one first.
    await sandbox("/_sandbox/outbox/drain", { method: "POST" });
    expect((await post(await signedDelivery("followupboss", dealsUpdated([halted.id, ready.id])))).status).toBe(202);
    const readyId = await eventually(() => dealIdOf(ready.id), 10_000);
    await eventually(async () => (await stagesOf(readyId)).includes("TMS_CREATED"), 15_000);
    const haltedId = await eventually(() => dealIdOf(halted.id), 10_000);
    const letters = await eventually(async () => ((await haltLetters(haltedId)).length ? haltLetters(haltedId) : null), 10_000);
    expect(letters.map((l) => l.status)).toEqual(["open"]);
  });

  it("two halted deals of one notice each get a dead letter of their own", async () => {
    const create = (name: string, price: number) =>
      fub<{ id: number }>("POST", "/v1/deals", { name, stageId: stage("Under Contract"), peopleIds: [personFubId], price });
    const first = await create("Adeyemi family purchase", 320000);
    const second = await create("Lindqvist family purchase", 330000);
    await sandbox("/_sandbox/outbox/drain", { method: "POST" });
    expect((await post(await signedDelivery("followupboss", dealsUpdated([first.id, second.id])))).status).toBe(202);
    for (const deal of [first, second]) {
      const dealId = await eventually(() => dealIdOf(deal.id), 10_000);
      const letters = await eventually(async () => ((await haltLetters(dealId)).length ? haltLetters(dealId) : null), 15_000);
      expect(letters.map((l) => l.status)).toEqual(["open"]);
    }
  });

  it("a deal whose first processing stored the stage and then failed gets its loop from the next notice", async () => {
    const { deal, dealId } = await activeDeal("77 Pine Ave, Austin, TX 78702", 410000);
    await fub("PUT", `/v1/deals/${deal.id}`, { stageId: stage("Under Contract") });
    // What the failed attempt left: the golden deal already at under_contract, nothing asked of
    // the TMS (it failed on the buyer's fetch, after the stage was stored).
    await env.DB.prepare(
      "UPDATE deals SET stage = 'under_contract', fields = json_set(fields, '$.stage', json_object('value', 'under_contract', 'system', 'followupboss', 'at', ?2)) WHERE id = ?1",
    )
      .bind(dealId, new Date().toISOString())
      .run();
    await deliverOutbox(); // the retry, or a redelivery of the deal's webhook
    await eventually(async () => (await stagesOf(dealId)).includes("TMS_ID_WRITTEN"), 15_000);
    const loops = ((await records<{ loop?: Array<{ name: string }> }>("dotloop")).loop ?? []).filter((l) => l.name.includes("77 Pine Ave"));
    expect(loops).toHaveLength(1);
  });

  it("a deal whose CRM record never got its transaction id gets it from the next notice of the deal", async () => {
    const { deal, dealId } = await activeDeal("12 Cedar Ln, Austin, TX 78704", 295000);
    const refuseIdWrite = (on: boolean) =>
      sandbox("/_sandbox/followupboss/settings", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rejectWrites: on ? { match: `^PUT /followupboss/v1/deals/${deal.id}\\b.*customTransactionID` } : null }),
      });
    await refuseIdWrite(true);
    try {
      await fub("PUT", `/v1/deals/${deal.id}`, { stageId: stage("Under Contract") });
      await deliverOutbox();
      const letters = () => lettersOf(`deal:${dealId}:transaction_id`);
      const [refused] = await eventually(async () => ((await letters()).length ? letters() : null), 15_000);
      expect(refused).toMatchObject({ status: "open", error_code: "followupboss_422" });
      expect((await fub<Record<string, unknown>>("GET", `/v1/deals/${deal.id}`)).customTransactionID ?? "").toBe("");

      // The CRM takes writes again; the agent edits the deal, and that notice finishes the job.
      await refuseIdWrite(false);
      await fub("PUT", `/v1/deals/${deal.id}`, { price: 296000 });
      await deliverOutbox();
      await eventually(async () => (await stagesOf(dealId)).includes("TMS_ID_WRITTEN"), 15_000);
      const loops = ((await records<{ loop?: Array<{ id: number; name: string }> }>("dotloop")).loop ?? []).filter((l) =>
        l.name.includes("12 Cedar Ln"),
      );
      expect(loops).toHaveLength(1);
      expect(String((await fub<Record<string, unknown>>("GET", `/v1/deals/${deal.id}`)).customTransactionID)).toBe(String(loops[0]?.id));
      // The letter had nothing left to replay: closed, saying why.
      expect((await letters()).map((l) => [l.id, l.status, l.reason?.startsWith("resolved: ")])).toEqual([
        [refused?.id, "discarded", true],
      ]);

      // The write's own echo and later notices leave the deal as it is: one write, one loop.
      await deliverOutbox({ times: 2 });
      await new Promise((r) => setTimeout(r, 500));
      expect((await stagesOf(dealId)).filter((s) => s === "TMS_ID_WRITTEN")).toHaveLength(1);
    } finally {
      await refuseIdWrite(false);
    }
  });
  it("a deal the hub knew that the agent closes without passing under contract raises a warning naming it", async () => {
    const { deal, dealId } = await activeDeal("14 Skipped Ct", 410000);
    await fub("PUT", `/v1/deals/${deal.id}`, { stageId: stage("Closed") });
    await deliverOutbox();
    const alert = await eventually(
      () =>
        env.DB.prepare("SELECT severity, state, detail FROM alerts WHERE key = ?1")
          .bind(`deal_closed_without_transaction:${dealId}`)
          .first<{ severity: string; state: string; detail: string }>(),
      10_000,
    );
    expect(alert).toMatchObject({ severity: "warning", state: "firing" });
    expect(alert.detail).toContain("14 Skipped Ct");
    expect(alert.detail).toContain("'Under Contract'");

    // A deal the hub first meets closed (an old one an agent touched) is not alerted.
    const old = await fub<{ id: number }>("POST", "/v1/deals", {
      name: "3 Long Closed Rd",
      stageId: stage("Closed"),
      peopleIds: [personFubId],
    });
    await deliverOutbox();
    const oldId = await eventually(() => dealIdOf(old.id), 10_000);
    expect(
      await env.DB.prepare("SELECT key FROM alerts WHERE key = ?1").bind(`deal_closed_without_transaction:${oldId}`).first(),
    ).toBeNull();
  });
});
