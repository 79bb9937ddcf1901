import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ok } from "../../src/lib/result";
import { parseCanonicalMessage } from "../../src/queues/messages";
import { once } from "../../src/queues/once";
import { type AppliedVersion, claimAction, laterApplied, leadAppliedOf } from "../../src/store/applied";

const status = (subject: string, version: number): AppliedVersion => ({ kind: "status", subject, version });
const contact = (subject: string, version: number): AppliedVersion => ({ kind: "contact", subject, version });
const key = () => `evt-${crypto.randomUUID()}`;

/** Applies `action` for a new event with an opaque id, carrying `version`, completed with `result`. */
async function apply(action: string, version: AppliedVersion, result: string): Promise<string> {
  const eventId = key();
  expect(await once(env.DB, eventId, action, async () => ok({ result, writes: [] }), { version })).toEqual({ ok: true, value: result });
  return eventId;
}

describe("an applied change of a golden record is found again by its kind, record and version", () => {
  it("a status applied once is found as later than an older one, whatever either event's id says", async () => {
    const deal = `deal_${crypto.randomUUID()}`;
    await apply("crm.status", status(deal, 10), "under_contract");
    const closed = await apply("crm.status", status(deal, 20), "closed");
    expect(await laterApplied(env.DB, "crm.status", status(deal, 10))).toEqual({ eventId: closed, version: 20, result: "closed" });
    expect(await laterApplied(env.DB, "crm.status", status(deal, 15))).toMatchObject({ version: 20 });
    // The latest applied change is later than nothing.
    expect(await laterApplied(env.DB, "crm.status", status(deal, 20))).toBeNull();
  });

  it("only the same kind of change of the same record, by the same action, completed and written, counts as later", async () => {
    const deal = `deal_${crypto.randomUUID()}`;
    await apply("crm.status", status(deal, 10), "active");
    // A contact change of a record with the same id, a status of another deal, another action.
    await apply("crm.contact", contact(deal, 99), "pushed");
    await apply("crm.status", status(`deal_${crypto.randomUUID()}`, 99), "closed");
    await apply("tms.status", status(deal, 99), "closed");
    // A later change still being applied (its claim holds no result yet).
    expect(await claimAction(env.DB, key(), "crm.status", Date.now(), status(deal, 50))).toBe("claimed");
    expect(await laterApplied(env.DB, "crm.status", status(deal, 10))).toBeNull();

    // A later run that wrote nothing is passed over when the caller says so.
    const person = `per_${crypto.randomUUID()}`;
    await apply("crm.contact", contact(person, 5), "pushed");
    await apply("crm.contact", contact(person, 7), "superseded");
    expect(await laterApplied(env.DB, "crm.contact", contact(person, 1), ["superseded"])).toMatchObject({ version: 5 });
    expect(await laterApplied(env.DB, "crm.contact", contact(person, 1))).toMatchObject({ version: 7 });
  });
});

// The migration's statements that rewrite rows stored before versions and results were typed.
const migration =
  Object.values(import.meta.glob<string>("../../migrations/0014_*.sql", { eager: true, query: "?raw", import: "default" }))[0] ?? "";
const backfill = migration
  .split(/;\s*\n/)
  .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
  .filter((s) => s.startsWith("UPDATE"));

describe("rows stored before versions were typed fields", () => {
  it("read through the new columns after the migration's backfill: versions, lead results and open dead letters", async () => {
    expect(backfill.length).toBeGreaterThanOrEqual(4);
    const deal = `deal_${crypto.randomUUID()}`;
    const person = `per_${crypto.randomUUID()}`;
    const now = Date.now();
    const lead = (n: number) => `dlv_${crypto.randomUUID()}:zillow:${n}`;
    const leads = [lead(0), lead(1), lead(2)];
    const old = (eventId: string, action: string, result: string) =>
      env.DB.prepare(`INSERT INTO applied_actions (event_id, action, result, at) VALUES (?1, ?2, ?3, ?4)`).bind(
        eventId,
        action,
        result,
        now,
      );
    const letter = `dl_${crypto.randomUUID()}`;
    const stalePayload = {
      v: 1,
      event: {
        id: `${deal}:status:under_contract:1700000000500`,
        type: "transaction.status_changed",
        schemaVersion: 1,
        occurredAt: new Date(now).toISOString(),
        receivedAt: new Date(now).toISOString(),
        source: { system: "dotloop", externalId: "loop-1", deliveryId: "dlv_old" },
        subject: { kind: "transaction", externalId: "loop-1" },
        data: { to: "under_contract", transaction: { id: deal, dates: {}, participants: [] } },
      },
    };
    await env.DB.batch([
      old(`${deal}:status:under_contract:1700000000500`, "crm.status", "under_contract"),
      old(`${deal}:status:closed:1700000000900`, "crm.status", "closed"),
      old(`${person}:contact:1700000000123`, "tms.contact", "participants:1"),
      old(leads[0] ?? "", "crm.lead", `CRM_CREATED|${person}|42`),
      old(leads[1] ?? "", "crm.lead", `CRM_IGNORED|${person}|`),
      old(leads[2] ?? "", "crm.lead", "not a result"),
      env.DB.prepare(
        `INSERT INTO dead_letters (id, queue, message_id, error_code, error, attempts, payload, created_at, updated_at) VALUES (?1, 'crm', ?2, 'followupboss_422', 'HTTP 422', 1, ?3, ?4, ?4)`,
      ).bind(letter, `msg-${crypto.randomUUID()}`, JSON.stringify(stalePayload), now),
    ]);
    for (const sql of backfill) await env.DB.prepare(sql).run();

    expect(await laterApplied(env.DB, "crm.status", status(deal, 1700000000500))).toMatchObject({
      version: 1700000000900,
      result: "closed",
    });
    expect(await laterApplied(env.DB, "tms.contact", contact(person, 1))).toMatchObject({ version: 1700000000123 });
    expect(await leadAppliedOf(env.DB, leads[0] ?? "")).toEqual({
      ok: true,
      value: { stage: "CRM_CREATED", personId: person, crmId: "42" },
    });
    expect(await leadAppliedOf(env.DB, leads[1] ?? "")).toEqual({
      ok: true,
      value: { stage: "CRM_IGNORED", personId: person, crmId: null },
    });
    // What never was `<stage>|<person>|<crm id>` is refused where it is read, not given a default.
    expect(await leadAppliedOf(env.DB, leads[2] ?? "")).toMatchObject({ ok: false, code: "applied_result_corrupt" });

    // An open dead letter replays with the version as a typed field of its event.
    const row = await env.DB.prepare(`SELECT payload FROM dead_letters WHERE id = ?1`).bind(letter).first<{ payload: string }>();
    const replayed = parseCanonicalMessage(JSON.parse(row?.payload ?? "null"));
    expect(replayed.ok && replayed.value.event.recordVersion).toBe(1700000000500);
  });
});
