import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { enqueuePolls } from "../../src/cron";
import { brokerageConfig } from "../../src/config/load";
import { pollMessage, RESCAN_EVERY_MS } from "../../src/consumers/poll";
import { laterCursor, rewindCursor } from "../../src/vendors/poller";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { connect, fub, fubHeaders } from "../helpers/people";
import { deliverOutbox, records, resetSandbox, SANDBOX, sandbox } from "../helpers/sandbox";

async function contactChanges(personId: string): Promise<number> {
  const r = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE subject = ?1 AND stage = 'CONTACT_CHANGED'")
    .bind(personId)
    .first<{ n: number }>();
  return r?.n ?? 0;
}

describe("backup polling of Follow Up Boss", () => {
  let personId = "";
  let fubId = 0;

  beforeAll(async () => {
    await resetSandbox();
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { firstName: "Poll", lastName: "Person", email: "poll.person@example.com", phone: "5125550777", message: "hi" },
    };
    await post(await signedDelivery("idx", lead));
    const row = await eventually(() =>
      env.DB.prepare(
        "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = 'poll.person@example.com'",
      ).first<{ id: string; external_id: string }>(),
    );
    personId = row.id;
    fubId = Number(row.external_id);
    // The peopleCreated webhook of the lead itself, the echo of the hub's own write: once Follow
    // Up Boss has served its read of the person, it can only find nothing new. (An agent's edit
    // racing the echo's read is test/flows/crm-echo.test.ts.)
    const served = async () => (await sandbox<{ requests: number }>("/_sandbox/followupboss/counters")).requests;
    const before = await served();
    await deliverOutbox();
    await eventually(async () => (await served()) > before, 10_000);
  });

  it("recovers a change whose webhook was dropped, advances the cursor, and ignores the late webhook", async () => {
    // An agent fixes the phone in Follow Up Boss, often within the second of the lead (Follow Up
    // Boss stamps changes to the second); its webhook never reaches the hub.
    const put = await fetch(`${SANDBOX}/followupboss/v1/people/${fubId}`, {
      method: "PUT",
      headers: fubHeaders,
      body: JSON.stringify({ phones: [{ value: "(512) 555-0999", isPrimary: true }] }),
    });
    expect(put.status).toBe(200);
    const person = ((await records<{ person: Array<{ id: number; updated: string }> }>("followupboss")).person ?? []).find(
      (p) => p.id === fubId,
    );
    expect(await contactChanges(personId)).toBe(0);

    const polls = await enqueuePolls(env, brokerageConfig(env), Date.now());
    expect(polls).toBeGreaterThan(0);
    // Generous: on a loaded 2-core machine the poll, its page and the CRM consumer take seconds.
    await eventually(async () => (await contactChanges(personId)) === 1, 25_000);
    const golden = await env.DB.prepare("SELECT phone, fields FROM people WHERE id = ?1")
      .bind(personId)
      .first<{ phone: string; fields: string }>();
    expect(JSON.parse(golden?.fields ?? "{}").phones.value).toEqual(["+15125550999"]);
    // The poll consumer moves its cursor after handing the change on, so the CRM can apply it first.
    const cursor = await eventually(async () => {
      const row = await env.DB.prepare("SELECT cursor FROM cursors WHERE connection = 'followupboss:main' AND resource = 'person'").first<{
        cursor: string;
      }>();
      return row?.cursor === person?.updated ? row : null;
    }, 10_000);
    expect(cursor.cursor).toBe(person?.updated);

    // The dropped webhook shows up after all: the change is already applied, nothing happens twice.
    await deliverOutbox({ source: "followupboss" });
    await new Promise((r) => setTimeout(r, 500));
    expect(await contactChanges(personId)).toBe(1);
  });

  it("a crash between enqueueing a page and saving the cursor re-reads the page without applying anything twice", async () => {
    const applied = await contactChanges(personId);
    // As if the previous poll died before its cursor was stored.
    await env.DB.prepare("UPDATE cursors SET cursor = NULL, last_polled_at = NULL WHERE connection = 'followupboss:main'").run();
    const polls = await enqueuePolls(env, brokerageConfig(env), Date.now());
    expect(polls).toBeGreaterThan(0);
    await eventually(() =>
      env.DB.prepare(
        "SELECT cursor FROM cursors WHERE connection = 'followupboss:main' AND resource = 'person' AND cursor IS NOT NULL",
      ).first(),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await contactChanges(personId)).toBe(applied);
  });
  it("a change announced once its second is well past is not announced again, however often its cursor's second is re-read", async () => {
    // The cursor's own second is read again so a later change stamped that second is not missed;
    // re-announcing the newest record on each such read would cost a vendor fetch per poll, and
    // an idle Dotloop connection polled often would spend its rate limit on one loop.
    const conn = "followupboss:main";
    await fetch(`${SANDBOX}/_sandbox/followupboss/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceMs: -60_000 }),
    });
    const put = await fetch(`${SANDBOX}/followupboss/v1/people/${fubId}`, {
      method: "PUT",
      headers: fubHeaders,
      body: JSON.stringify({ phones: [{ value: "(512) 555-0444", isPrimary: true }] }),
    });
    expect(put.status).toBe(200);
    await fetch(`${SANDBOX}/_sandbox/followupboss/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceMs: 60_000 }),
    });
    await env.DB.prepare("UPDATE cursors SET cursor = NULL WHERE connection = ?1").bind(conn).run();
    const first = await pollMessage({ v: 1, kind: "poll", connection: conn, at: Date.now() }, env, "crm");
    expect(first.ok && first.value).toBe("enqueued:1");
    const again = await pollMessage({ v: 1, kind: "poll", connection: conn, at: Date.now() }, env, "crm");
    expect(again.ok && again.value).toBe("enqueued:0");
  });
});

describe("the hourly rescan of deals", () => {
  it("a deal the hub never linked is announced again by the next hourly rescan, gets its transaction, and once linked is announced only for its later changes", async () => {
    // The sandbox keeps the people of the tests above: a reset would hand out their CRM ids again.
    await connect("dotloop");
    const lead = { firstName: "Rescan", lastName: "Buyer", email: "rescan.buyer@example.com", phone: "5125550888", message: "hi" };
    expect(
      (await post(await signedDelivery("idx", { type: "lead.created", timestamp: new Date().toISOString(), data: lead }))).status,
    ).toBe(202);
    const person = await eventually(
      () =>
        env.DB.prepare(
          "SELECT l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
        )
          .bind(lead.email)
          .first<{ external_id: string }>(),
      15_000,
    );
    const { pipelines } = await fub<{ pipelines: Array<{ name: string; stages: Array<{ id: number; name: string }> }> }>(
      "GET",
      "/v1/pipelines",
    );
    const underContract = (pipelines.find((p) => /buy/i.test(p.name)) ?? pipelines[0])?.stages.find((s) => s.name === "Under Contract")?.id;
    // The agent's deal: its webhooks stay in the sandbox's outbox, never delivered.
    const deal = await fub<{ id: number; updated?: string; updatedAt?: string }>("POST", "/v1/deals", {
      name: "1 Rescan Rd",
      stageId: underContract,
      peopleIds: [Number(person.external_id)],
      price: 350_000,
    });
    const updated = deal.updated ?? deal.updatedAt ?? new Date().toISOString();
    // An earlier poll read past the deal and its announcement died with the queue's memory.
    const past = new Date(Date.parse(updated) + 5_000).toISOString().replace(/\.\d+Z$/, "Z");
    await env.DB.prepare(
      "INSERT INTO cursors (connection, resource, cursor, last_polled_at, updated_at) VALUES ('followupboss:main', 'deal', ?1, 0, 0) ON CONFLICT (connection, resource) DO UPDATE SET cursor = excluded.cursor",
    )
      .bind(past)
      .run();
    const linked = () =>
      env.DB.prepare("SELECT canonical_id FROM links WHERE system = 'followupboss' AND kind = 'deal' AND external_id = ?1")
        .bind(String(deal.id))
        .first<{ canonical_id: string }>();

    // The first poll of the next hour (the cron's clock): the tests above polled in this one.
    const at = (Math.floor(Date.now() / RESCAN_EVERY_MS) + 1) * RESCAN_EVERY_MS + 1_000;
    const first = await pollMessage({ v: 1, kind: "poll", connection: "followupboss:main", at }, env, "crm");
    expect(first.ok && first.value).not.toBe("enqueued:0");
    const dealId = (await eventually(linked, 25_000)).canonical_id;
    await eventually(
      async () =>
        ((await records<{ loop?: Array<{ name: string }> }>("dotloop")).loop ?? []).some((l) => l.name.includes("1 Rescan Rd")) || null,
      25_000,
    );
    expect(dealId).toMatch(/^deal_/);

    // Within the same hour the poll reads from its cursor again; the cursor never moved back.
    const again = await pollMessage({ v: 1, kind: "poll", connection: "followupboss:main", at: at + 60_000 }, env, "crm");
    expect(again.ok).toBe(true);
    // The next hour's rescan reads the deal again, but the hub has it now: nothing is announced.
    const nextHour = await pollMessage({ v: 1, kind: "poll", connection: "followupboss:main", at: at + RESCAN_EVERY_MS }, env, "crm");
    expect(nextHour.ok).toBe(true);
    const rescans = await env.DB.prepare(
      "SELECT event_id, result FROM applied_actions WHERE action = 'poll.rescanned' AND event_id LIKE 'followupboss:main:deal:%' ORDER BY event_id",
    ).all<{ event_id: string; result: string }>();
    expect(rescans.results.map((r) => r.result).slice(-2)).toEqual(["announced:1", "announced:0"]);
    const cursor = await env.DB.prepare("SELECT cursor FROM cursors WHERE connection = 'followupboss:main' AND resource = 'deal'").first<{
      cursor: string;
    }>();
    expect(Date.parse(cursor?.cursor ?? "")).toBeGreaterThanOrEqual(Date.parse(past));

    // The agent then changes the linked deal's price; that webhook never arrives either. The
    // first poll of the hour after is a rescan, and it must still pass on what changed since the
    // cursor, not only deals the hub has no link for. (The cursor was set ahead of the clock.)
    while (Date.now() < Date.parse(past) + 1_000) await new Promise((r) => setTimeout(r, 100));
    await fub("PUT", `/v1/deals/${deal.id}`, { price: 362_000 });
    const price = () =>
      env.DB.prepare("SELECT price_cents FROM deals WHERE id = ?1 AND price_cents = 36200000")
        .bind(dealId)
        .first<{ price_cents: number }>();
    expect(await price()).toBeNull();
    const later = await pollMessage({ v: 1, kind: "poll", connection: "followupboss:main", at: at + 2 * RESCAN_EVERY_MS }, env, "crm");
    expect(later.ok).toBe(true);
    await eventually(price, 25_000);
  });
});

describe("poll cursors moved back", () => {
  it("keep the vendor's own way of writing times, so they compare with its timestamps", () => {
    expect(rewindCursor("2026-12-03T02:09:07Z", 65 * 60_000)).toBe("2026-12-03T01:04:07Z");
    expect(rewindCursor("2026-12-03T02:09:12+00:00", 60_000)).toBe("2026-12-03T02:08:12+00:00");
    expect(rewindCursor("2026-12-03T02:09:07.250Z", 1_000)).toBe("2026-12-03T02:09:06.250Z");
    expect(rewindCursor("not a time", 1_000)).toBeNull();
    expect(laterCursor("2026-12-03T02:09:07Z", "2026-12-03T01:00:00Z")).toBe("2026-12-03T02:09:07Z");
    expect(laterCursor(null, "2026-12-03T01:00:00Z")).toBe("2026-12-03T01:00:00Z");
  });

  it("the later of two is the later instant, however each vendor writes it", () => {
    // QuickBooks in a company on Pacific time, across the end of daylight saving: 08:30 then 09:10 UTC.
    expect(laterCursor("2026-11-01T01:30:00-07:00", "2026-11-01T01:10:00-08:00")).toBe("2026-11-01T01:10:00-08:00");
    // SkySlope writes no zone (UTC); the hub's own first cursor carries Z.
    expect(laterCursor("2026-12-05T02:50:00.200Z", "2026-12-05T02:50:00.114")).toBe("2026-12-05T02:50:00.200Z");
    expect(laterCursor("2026-12-05T02:50:00.114", "2026-12-05T02:50:00.200Z")).toBe("2026-12-05T02:50:00.200Z");
    // A cursor that does not parse gives way to one that does, never the reverse.
    expect(laterCursor("not a time", "2026-12-03T01:00:00Z")).toBe("2026-12-03T01:00:00Z");
    expect(laterCursor("2026-12-03T01:00:00Z", "not a time")).toBe("2026-12-03T01:00:00Z");
  });
});
