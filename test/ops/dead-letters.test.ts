import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeadLetterDetail, DeadLetterView } from "../../src/ops/dead-letters";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { insertDealStatement } from "../../src/store/deals";
import { linkStatement } from "../../src/store/links";
import { crmFor } from "../../src/vendors/systems";
import { statusChanged } from "../helpers/deal-events";
import { eventually } from "../helpers/deliveries";
import { fub, stagesOf } from "../helpers/people";
import { api, apiJson, phone, postJson, sendLead, tag } from "./helpers";
import { crmLead, deadLetter, inboundLead, letterStatus, personByEmail, rawDeadLetter, storeLetters } from "./letters";

const settle = () => new Promise((r) => setTimeout(r, 1_200));

/** Everything a lead's processing writes, for one person and the event that brought them. */
async function snapshot(email: string, eventId: string) {
  const one = (sql: string, ...args: string[]) =>
    env.DB.prepare(sql)
      .bind(...args)
      .first<{ n: number | string }>()
      .then((r) => r?.n ?? 0);
  const e = email.toLowerCase();
  const person = `SELECT person_id FROM person_keys WHERE value = ?1`;
  return {
    people: await one(`SELECT COUNT(*) AS n FROM people WHERE email = ?1`, e),
    deliveries: await one(`SELECT COUNT(*) AS n FROM deliveries WHERE payload LIKE '%' || ?1 || '%' COLLATE NOCASE`, e),
    events: await one(`SELECT COUNT(*) AS n FROM events WHERE data LIKE '%' || ?1 || '%'`, e),
    traces: await one(`SELECT COUNT(*) AS n FROM traces WHERE subject IN (${person})`, e),
    // The applied action's completion time changes if the CRM step runs again.
    applied: await one(`SELECT COALESCE(group_concat(action || '@' || at), '') AS n FROM applied_actions WHERE event_id = ?1`, eventId),
    crmLinks: await one(`SELECT COUNT(*) AS n FROM links WHERE canonical_id IN (${person})`, e),
  };
}

describe("a lead whose CRM delivery was dead-lettered", async () => {
  const t = tag();
  const lead = { email: `dl${t}@example.com`, name: `Rosa Letter${t}`, phone: phone() };
  const message = crmLead(lead);
  const code = `followupboss_422`;
  const id = await deadLetter(message, { queue: "crm", code, vendor: "followupboss" });

  it("is listed by vendor, code and status, and shown with its attempts and original message", async () => {
    const { deadLetters } = await apiJson<{ deadLetters: DeadLetterView[] }>(
      `/dead-letters?vendor=followupboss&code=${code}&status=open&queue=crm`,
    );
    expect(deadLetters.map((d) => d.id)).toContain(id);
    const d = await apiJson<DeadLetterDetail>(`/dead-letters/${id}`);
    expect(d).toMatchObject({
      queue: "crm",
      vendor: "followupboss",
      errorCode: code,
      status: "open",
      replayable: true,
      deliveryId: message.event.source.deliveryId,
    });
    expect(d.history).toEqual([expect.objectContaining({ attempt: 1, status: 422, code })]);
    expect(d.payload).toEqual(JSON.parse(JSON.stringify(message)));
  });

  it("time windows and filters narrow the list; bad filters are 422", async () => {
    const ids = async (qs: string) =>
      (await apiJson<{ deadLetters: DeadLetterView[] }>(`/dead-letters?${qs}`)).deadLetters.map((d) => d.id);
    expect(await ids(`code=${code}&from=${Date.now() - 60_000}`)).toContain(id);
    expect(await ids(`code=${code}&from=${new Date(Date.now() + 3_600_000).toISOString()}`)).not.toContain(id);
    expect(await ids(`code=${code}&to=2020-01-01`)).not.toContain(id);
    expect(await ids(`code=${code}&vendor=dotloop`)).not.toContain(id);
    for (const qs of ["status=lost", "from=yesterday", "limit=0", "queue=email"]) {
      const res = await api(`/dead-letters?${qs}`);
      expect(res.status, qs).toBe(422);
      expect(await res.json()).toMatchObject({ code: "validation_failed" });
    }
  });

  it("without credentials, replay changes nothing", async () => {
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST", token: null })).status).toBe(401);
    expect(await letterStatus(id)).toBe("open");
    expect(await personByEmail(lead.email)).toBeUndefined();
  });

  it("replay sends it back to the crm queue: the person is created in the CRM and linked", async () => {
    const res = await api(`/dead-letters/${id}/replay`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, queue: "crm", queues: ["crm"], status: "replayed" });
    expect(await letterStatus(id)).toBe("replayed");
    const personId = await eventually(() => personByEmail(lead.email), 10_000);
    const link = await eventually(
      () => env.DB.prepare(`SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss'`).bind(personId).first(),
      5_000,
    );
    expect(link).toBeTruthy();
    const timeline = await apiJson<{ traces: Array<{ stage: string }> }>(`/records/${personId}`);
    expect(timeline.traces.map((x) => x.stage)).toEqual(expect.arrayContaining(["DLQ_REPLAYED", "CRM_CREATED"]));
  });

  it("a letter that is no longer open cannot be replayed or discarded again (409)", async () => {
    for (const [path, body] of [
      [`/dead-letters/${id}/replay`, undefined],
      [`/dead-letters/${id}/discard`, { reason: "late" }],
    ] as const) {
      const res = await api(path, { method: "POST", ...(body ? { body: JSON.stringify(body) } : {}) });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: "conflict" });
    }
    expect(await letterStatus(id)).toBe("replayed");
  });

  it("replaying a second copy of the already-applied message changes nothing", async () => {
    const before = await snapshot(lead.email, message.event.id);
    expect(before).toMatchObject({ people: 1, applied: expect.stringMatching(/^crm\.lead@\d+$/), crmLinks: 1 });
    expect(before.traces).toBeGreaterThan(0);
    const copy = await deadLetter(message, { queue: "crm", code, vendor: "followupboss" });
    expect((await api(`/dead-letters/${copy}/replay`, { method: "POST" })).status).toBe(200);
    await settle();
    expect(await snapshot(lead.email, message.event.id)).toEqual(before);
    const fub = await fetch("http://127.0.0.1:8788/_sandbox/followupboss/records").then((r) =>
      r.json<{ person?: Array<{ emails?: Array<{ value: string }> }> }>(),
    );
    expect((fub.person ?? []).filter((p) => p.emails?.some((e) => e.value.toLowerCase() === lead.email)).length).toBe(1);
  });
});

describe("an inbound delivery replayed after it was already ingested", () => {
  it("is recognised by its delivery key and changes nothing", async () => {
    const t = tag();
    const lead = { email: `in${t}@example.com`, name: `Ivo Inbound${t}`, phone: phone() };
    const { deliveryId } = await sendLead(lead);
    const row = await env.DB.prepare(`SELECT delivery_key FROM deliveries WHERE id = ?1`)
      .bind(deliveryId)
      .first<{ delivery_key: string }>();
    const message = { ...inboundLead(lead, `dlv_${crypto.randomUUID()}`), deliveryKey: row?.delivery_key ?? "" };
    const eventId =
      (
        await env.DB.prepare(`SELECT id FROM events WHERE delivery_id = ?1 AND type = 'lead.received'`)
          .bind(deliveryId)
          .first<{ id: string }>()
      )?.id ?? "";
    const before = await snapshot(lead.email, eventId);
    expect(before).toMatchObject({ people: 1, deliveries: 1, applied: expect.stringMatching(/^crm\.lead@\d+$/) });
    expect(before.events).toBeGreaterThan(0);
    const id = await deadLetter(message, { queue: "inbound", code: "internal" });
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(200);
    await settle();
    expect(await snapshot(lead.email, eventId)).toEqual(before);
  });

  it("a never-ingested inbound delivery replays through the whole pipeline", async () => {
    const t = tag();
    const lead = { email: `in2${t}@example.com`, name: `Ada Inbound${t}`, phone: phone() };
    const message = inboundLead(lead);
    const id = await deadLetter(message, { queue: "inbound", code: "spool_missing" });
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(() => personByEmail(lead.email), 10_000);
    // Ingest marks the delivery normalized after handing its event on, so the person can come first.
    const d = await eventually(async () => {
      const r = await apiJson<{ status: string }>(`/deliveries/${message.deliveryId}`);
      return r.status === "received" ? null : r;
    }, 10_000);
    expect(d.status).toBe("normalized");
  });
});

describe("a message the platform moved raw to the dead-letter queue (a consumer crashed outright)", () => {
  it("a CRM lead is stored under the crm queue, said to be inferred, and its replay creates the person", async () => {
    const t = tag();
    const lead = { email: `raw${t}@example.com`, name: `Rafa Raw${t}`, phone: phone() };
    const id = await rawDeadLetter(crmLead(lead), lead.email);
    const d = await apiJson<DeadLetterDetail>(`/dead-letters/${id}`);
    expect(d).toMatchObject({
      queue: "crm",
      queues: ["crm"],
      queueInferred: true,
      errorCode: "retries_exhausted",
      status: "open",
      replayable: true,
      replayOf: null,
    });
    expect(d.error).toContain("Queue inferred from the message, a canonical lead.received event: crm");
    const listed = await apiJson<{ deadLetters: DeadLetterView[] }>(`/dead-letters?queue=crm&code=retries_exhausted&status=open`);
    expect(listed.deadLetters.find((l) => l.id === id)).toMatchObject({ queueInferred: true, queues: ["crm"] });
    const res = await api(`/dead-letters/${id}/replay`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, queue: "crm", queues: ["crm"], status: "replayed" });
    const personId = await eventually(() => personByEmail(lead.email), 10_000);
    await eventually(
      () => env.DB.prepare(`SELECT 1 AS x FROM links WHERE canonical_id = ?1 AND system = 'followupboss'`).bind(personId).first(),
      5_000,
    );
  });

  it("an inbound delivery is stored under the inbound queue and replays through the whole pipeline", async () => {
    const t = tag();
    const lead = { email: `rawin${t}@example.com`, name: `Ines Raw${t}`, phone: phone() };
    const message = inboundLead(lead);
    const id = await rawDeadLetter(message, message.deliveryId);
    expect(await apiJson<DeadLetterDetail>(`/dead-letters/${id}`)).toMatchObject({
      queue: "inbound",
      queueInferred: true,
      replayable: true,
    });
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(() => personByEmail(lead.email), 10_000);
  });

  it("a body that is none of the hub's messages stays unknown, says why, and can only be discarded", async () => {
    const marker = `odd-${tag()}`;
    const id = await rawDeadLetter({ v: 1, marker }, marker);
    const d = await apiJson<DeadLetterDetail>(`/dead-letters/${id}`);
    expect(d).toMatchObject({ queue: "unknown", queues: [], queueInferred: false, replayable: false });
    expect(d.error).toContain("none of the hub's queue messages");
    const res = await api(`/dead-letters/${id}/replay`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(await letterStatus(id)).toBe("open");
    expect((await postJson(`/dead-letters/${id}/discard`, { reason: "not ours" })).status).toBe(200);
  });

  it("a replay that fails again becomes a new letter that links back to the replayed one", async () => {
    // A backup poll of a connection removed from the configuration since: its id still names
    // the vendor (so the crm queue), and every run of it fails permanently.
    const connection = `followupboss:gone-${tag()}`;
    const id = await rawDeadLetter({ v: 1, kind: "poll", connection, at: Date.now() }, connection);
    expect(await apiJson<DeadLetterDetail>(`/dead-letters/${id}`)).toMatchObject({ queue: "crm", queueInferred: true, replayable: true });
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(200);
    const again = await eventually(
      () => env.DB.prepare(`SELECT id FROM dead_letters WHERE replay_of = ?1`).bind(id).first<{ id: string }>(),
      10_000,
    );
    const d = await apiJson<DeadLetterDetail>(`/dead-letters/${again.id}`);
    expect(d).toMatchObject({ queue: "crm", queueInferred: false, errorCode: "connection_unknown", status: "open", replayOf: id });
    expect(await apiJson<DeadLetterDetail>(`/dead-letters/${id}`)).toMatchObject({ status: "replayed", replayedAs: [again.id] });
  });
});

describe("discarding a dead letter", () => {
  it("needs a reason; without one it is 422 and the letter stays open", async () => {
    const id = await deadLetter(crmLead({ email: `x${tag()}@example.com`, name: "Nia Discard", phone: phone() }), {
      queue: "crm",
      code: "followupboss_400",
      vendor: "followupboss",
      status: 400,
    });
    for (const body of [undefined, "{}", JSON.stringify({ reason: "  " }), JSON.stringify({ reason: 42 })]) {
      const res = await api(`/dead-letters/${id}/discard`, { method: "POST", ...(body ? { body } : {}) });
      expect(res.status, String(body)).toBe(422);
      expect(await res.json()).toMatchObject({ code: "validation_failed", errors: [expect.objectContaining({ path: "reason" })] });
    }
    expect((await api(`/dead-letters/${id}/discard`, { method: "POST", body: "{not json" })).status).toBe(400);
    expect(await letterStatus(id)).toBe("open");
    const ok = await postJson(`/dead-letters/${id}/discard`, { reason: "test contact, not a real lead" });
    expect(ok.status).toBe(200);
    const d = await apiJson<DeadLetterDetail>(`/dead-letters/${id}`);
    expect(d).toMatchObject({ status: "discarded", reason: "test contact, not a real lead", replayable: false });
    expect((await api(`/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(409);
  });

  it("a letter the platform moved from an unknown queue is refused for replay (409) and stays open", async () => {
    const id = await deadLetter({ something: "else" }, { queue: "unknown", code: "retries_exhausted" });
    const res = await api(`/dead-letters/${id}/replay`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(await letterStatus(id)).toBe("open");
  });

  it("unknown letters are 404", async () => {
    expect((await api(`/dead-letters/nope`)).status).toBe(404);
    expect((await api(`/dead-letters/nope/replay`, { method: "POST" })).status).toBe(404);
    expect((await postJson(`/dead-letters/nope/discard`, { reason: "gone" })).status).toBe(404);
  });
});

interface Pipeline {
  name: string;
  stages: Array<{ id: number; name: string }>;
}

/** A Follow Up Boss deal at a stage (by name) linked to a golden deal at `golden`; stage ids of the buyers' pipeline by name. */
async function linkedDeal(street: string, at: string, goldenStage: string) {
  const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
  const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
  const stage = (name: string) => buyers?.stages.find((s) => s.name === name)?.id;
  const deal = await fub<{ id: number }>("POST", "/v1/deals", { name: `${tag()} ${street}, Austin, TX 78701`, stageId: stage(at) });
  const dealId = `deal_${crypto.randomUUID()}`;
  const now = Date.now();
  await env.DB.batch([
    insertDealStatement(env.DB, { id: dealId, name: street, stage: goldenStage, fields: {} }, now),
    linkStatement(env.DB, { system: "followupboss", kind: "deal", externalId: String(deal.id), canonicalId: dealId }, now),
  ]);
  return { deal, dealId, stage, now };
}

describe("a status change replayed after the deal moved past it", () => {
  const fubDeal = async (id: number) => fub<{ stageId: number }>("GET", `/v1/deals/${id}`);

  it("does not move the CRM deal back: the later status stays, and the older one is traced as superseded", async () => {
    // The TMS closed the deal: two status changes were dead-lettered on the way, under_contract
    // (the older, replacing the deal's first version) and closed (replacing its second).
    const { deal, dealId, stage, now } = await linkedDeal("Stale Ave", "Under Contract", "closed");
    const older = await deadLetter(statusChanged(dealId, "active", "under_contract", now - 2_000), {
      queue: "crm",
      code: "followupboss_422",
      vendor: "followupboss",
    });
    const latest = await deadLetter(statusChanged(dealId, "under_contract", "closed", now - 1_000), {
      queue: "crm",
      code: "followupboss_422",
      vendor: "followupboss",
    });

    expect((await api(`/dead-letters/${latest}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(async () => ((await fubDeal(deal.id)).stageId === stage("Closed") ? true : null), 10_000);
    // The operator replays the older letter last, as a list sorted newest first invites.
    expect((await api(`/dead-letters/${older}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(async () => ((await stagesOf(dealId)).includes("STATUS_SUPERSEDED") ? true : null), 10_000);
    expect((await fubDeal(deal.id)).stageId).toBe(stage("Closed"));
    expect((await stagesOf(dealId)).filter((s) => s === "STATUS_SYNCED")).toHaveLength(1);
    expect(await letterStatus(older)).toBe("replayed");
  });
});

describe("a status change replayed after the agent moved the CRM deal by hand", () => {
  interface Pipeline {
    name: string;
    stages: Array<{ id: number; name: string }>;
  }

  it("leaves the agent's stage in the CRM and traces the older status as superseded", async () => {
    const { pipelines } = await fub<{ pipelines: Pipeline[] }>("GET", "/v1/pipelines");
    const buyers = pipelines.find((p) => p.name.toLowerCase().includes("buy")) ?? pipelines[0];
    const stage = (name: string) => buyers?.stages.find((s) => s.name === name)?.id;
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name: `${tag()} Hand Ln, Austin, TX 78701`,
      stageId: stage("Active Client"),
    });
    const dealId = `deal_${crypto.randomUUID()}`;
    const now = Date.now();
    await env.DB.batch([
      insertDealStatement(env.DB, { id: dealId, name: "Hand Ln", stage: "under_contract", fields: {} }, now),
      linkStatement(env.DB, { system: "followupboss", kind: "deal", externalId: String(deal.id), canonicalId: dealId }, now),
    ]);
    // The TMS's under-contract status failed on its way to the CRM.
    const letter = await deadLetter(statusChanged(dealId, "active", "under_contract", now - 2_000), {
      queue: "crm",
      code: "followupboss_422",
      vendor: "followupboss",
    });
    // Then the agent closed the deal in the CRM, and the hub took that in.
    await fub("PUT", `/v1/deals/${deal.id}`, { stageId: stage("Closed") });
    const config = brokerageConfig(env);
    expect(await handleCrmDeal(String(deal.id), "fub-by-hand", env, config, crmFor(env, config))).toMatchObject({ ok: true });

    expect((await api(`/dead-letters/${letter}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(async () => ((await stagesOf(dealId)).includes("STATUS_SUPERSEDED") ? true : null), 10_000);
    expect((await fub<{ stageId: number }>("GET", `/v1/deals/${deal.id}`)).stageId).toBe(stage("Closed"));
    expect(await stagesOf(dealId)).not.toContain("STATUS_SYNCED");
  });
});

describe("listing more dead letters than one page holds", () => {
  type Page = { deadLetters: DeadLetterView[]; total: number; cursor: string | null };

  it("answers the total that match and a cursor; walking the cursors sees every letter once, newest first", async () => {
    const code = `many_${tag()}`;
    const ids = await storeLetters(150, { code });
    const first = await apiJson<Page>(`/dead-letters?code=${code}`);
    expect(first.total).toBe(150);
    expect(first.deadLetters).toHaveLength(100);
    expect(first.cursor).toEqual(expect.any(String));

    const seen: DeadLetterView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await apiJson<Page>(`/dead-letters?code=${code}&limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.total).toBe(150);
      seen.push(...page.deadLetters);
      cursor = page.cursor;
      pages++;
      // A letter that arrives while an operator pages goes to the front; it never shifts a page.
      if (pages === 1) await storeLetters(1, { code: `${code}_late`, at: Date.now() + 60_000 });
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen.map((d) => d.id).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((d) => d.id)).size).toBe(150);
    const order = seen.map((d) => [d.createdAt, d.id] as const);
    const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(order).toEqual(sorted);
  });

  it("a cursor it did not give out is 422 and names the field", async () => {
    for (const cursor of ["nonsense", "W10", btoa(JSON.stringify(["x", 1]))]) {
      const res = await api(`/dead-letters?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(422);
      expect(await res.json()).toMatchObject({ code: "validation_failed", errors: [expect.objectContaining({ path: "cursor" })] });
    }
  });
});
