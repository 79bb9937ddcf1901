import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requeueStranded } from "../../src/cron";
import { CLAIM_TTL_MS } from "../../src/store/applied";
import { journalDelivery } from "../../src/store/journal";
import { eventually } from "../helpers/deliveries";
import { setSettings } from "../helpers/sandbox";

describe("intake journal (local runtime, INTAKE_JOURNAL=on)", () => {
  it("re-enqueues an accepted delivery whose queue message was lost, and it is then recorded once", async () => {
    const deliveryId = crypto.randomUUID();
    const message = {
      v: 1,
      deliveryId,
      source: "followupboss",
      deliveryKey: `evt:lost-${deliveryId}`,
      receivedAt: Date.now() - 120_000,
      headers: {},
      body: { eventId: `lost-${deliveryId}`, event: "notesCreated", resourceIds: [9], uri: "https://api.followupboss.com/v1/notes?id=9" },
    };
    // The route journaled it, then the process died before the queue delivered it.
    await journalDelivery(env.DB, deliveryId, message, Date.now() - 120_000);
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    expect(await requeueStranded({ ...env, INTAKE_JOURNAL: "off" } as Env, Date.now())).toBe(0);
    expect(await requeueStranded(journalOn, Date.now())).toBe(1);
    const row = await eventually(() =>
      env.DB.prepare("SELECT status FROM deliveries WHERE id = ?1 AND status != 'received'").bind(deliveryId).first<{ status: string }>(),
    );
    expect(row.status).toBe("normalized");
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM intake_journal").first<{ n: number }>();
    expect(left?.n).toBe(0);
    // A second sweep finds nothing: the journal entry was forgotten once ingested.
    expect(await requeueStranded(journalOn, Date.now())).toBe(0);
  });
});

describe("stalled leads (local runtime, INTAKE_JOURNAL=on)", () => {
  it("a lead ingested but never applied (its crm message lost) is republished and reaches the CRM once", async () => {
    const id = `${crypto.randomUUID()}:idx.lead:0`;
    const data = {
      person: {
        firstName: "Lost",
        lastName: "Message",
        emails: [{ value: "lost.message@example.com" }],
        phones: [],
        roles: [],
        tags: [],
        leadSource: { system: "idx", name: "Website" },
      },
      message: "hi",
    };
    const old = Date.now() - 300_000;
    await env.DB.prepare(
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, occurred_at, received_at, data, recorded_at) VALUES (?1, 'lead.received', 'd-lost', 'idx', 'person', ?2, ?2, ?3, ?4)`,
    )
      .bind(id, new Date(old).toISOString(), JSON.stringify(data), old)
      .run();
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    expect(await requeueStranded(journalOn, Date.now())).toBe(1);
    await eventually(() =>
      env.DB.prepare("SELECT result FROM applied_actions WHERE event_id = ?1 AND action = 'crm.lead' AND result IS NOT NULL")
        .bind(id)
        .first(),
    );
    // Applied now: the next sweep leaves it alone.
    expect(await requeueStranded(journalOn, Date.now())).toBe(0);
  });

  it("a lead whose worker died mid-action (its claim left unfinished, its message lost) is republished, taken over and applied once", async () => {
    // A hub restarted while leads are being applied leaves their claims unfinished: a sweep that
    // skipped every claimed lead would leave those people out of the CRM for good.
    const id = `${crypto.randomUUID()}:idx.lead:0`;
    const data = {
      person: {
        firstName: "Died",
        lastName: "Midway",
        emails: [{ value: "died.midway@example.com" }],
        phones: [],
        roles: [],
        tags: [],
        leadSource: { system: "idx", name: "Website" },
      },
      message: "hi",
    };
    const old = Date.now() - 300_000;
    await env.DB.prepare(
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, occurred_at, received_at, data, recorded_at) VALUES (?1, 'lead.received', 'd-died', 'idx', 'person', ?2, ?2, ?3, ?4)`,
    )
      .bind(id, new Date(old).toISOString(), JSON.stringify(data), old)
      .run();
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    // A claim taken moments ago is a worker still at it: left alone.
    await env.DB.prepare(`INSERT INTO applied_actions (event_id, action, result, at) VALUES (?1, 'crm.lead', NULL, ?2)`)
      .bind(id, Date.now() - 5_000)
      .run();
    expect(await requeueStranded(journalOn, Date.now())).toBe(0);
    // Longer than a claim lives, nobody finished it: its worker died with the message.
    await env.DB.prepare(`UPDATE applied_actions SET at = ?2 WHERE event_id = ?1`)
      .bind(id, Date.now() - CLAIM_TTL_MS - 1_000)
      .run();
    expect(await requeueStranded(journalOn, Date.now())).toBe(1);
    await eventually(() =>
      env.DB.prepare("SELECT result FROM applied_actions WHERE event_id = ?1 AND action = 'crm.lead' AND result IS NOT NULL")
        .bind(id)
        .first(),
    );
    const fub = await (await fetch("http://127.0.0.1:8788/_sandbox/followupboss/records")).json<{
      person?: Array<{ emails: Array<{ value: string }> }>;
    }>();
    expect((fub.person ?? []).filter((p) => p.emails.some((e) => e.value === "died.midway@example.com"))).toHaveLength(1);
    expect(await requeueStranded(journalOn, Date.now())).toBe(0);
  });

  it("a stalled lead whose recorded event no longer parses is raised as a critical alert naming it, not skipped", async () => {
    const id = `${crypto.randomUUID()}:idx.lead:0`;
    const old = Date.now() - 300_000;
    await env.DB.prepare(
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, occurred_at, received_at, data, recorded_at) VALUES (?1, 'lead.received', 'd-unreadable', 'idx', 'person', ?2, ?2, ?3, ?4)`,
    )
      .bind(id, new Date(old).toISOString(), JSON.stringify({ person: "not a person" }), old)
      .run();
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    expect(await requeueStranded(journalOn, Date.now())).toBe(0);
    const alert = await env.DB.prepare("SELECT severity, state, detail FROM alerts WHERE key = 'stalled_lead_unreadable'").first<{
      severity: string;
      state: string;
      detail: string;
    }>();
    expect(alert).toMatchObject({ severity: "critical", state: "firing" });
    expect(alert?.detail).toContain(id);
  });

  it("a stalled lead is republished once per ten minutes, not on every cron run while it waits", async () => {
    // A sweep that copied every lead still waiting on its retry ladder would fill the CRM queue
    // with copies (a third of its messages in a soak).
    const id = `${crypto.randomUUID()}:idx.lead:0`;
    const data = {
      person: {
        firstName: "Still",
        lastName: "Waiting",
        emails: [{ value: "still.waiting@example.com" }],
        phones: [],
        roles: [],
        tags: [],
        leadSource: { system: "idx", name: "Website" },
      },
      message: "hi",
    };
    const old = Date.now() - 300_000;
    await env.DB.prepare(
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, occurred_at, received_at, data, recorded_at) VALUES (?1, 'lead.received', 'd-wait', 'idx', 'person', ?2, ?2, ?3, ?4)`,
    )
      .bind(id, new Date(old).toISOString(), JSON.stringify(data), old)
      .run();
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    // The CRM is down: the copies fail and wait on their retry ladder.
    await setSettings("followupboss", { errorRate: 1 });
    try {
      const now = Date.now();
      expect(await requeueStranded(journalOn, now)).toBe(1);
      expect(await requeueStranded(journalOn, now + 5 * 60_000)).toBe(0);
      expect(await requeueStranded(journalOn, now + 11 * 60_000)).toBe(1);
    } finally {
      await setSettings("followupboss", { errorRate: 0 });
    }
    await eventually(
      () =>
        env.DB.prepare("SELECT result FROM applied_actions WHERE event_id = ?1 AND action = 'crm.lead' AND result IS NOT NULL")
          .bind(id)
          .first(),
      25_000,
    );
  });

  it("a lead the CRM refused is left to its dead letter, not copied to the CRM again every ten minutes", async () => {
    // Each copy of a refused lead is refused again and adds a letter: the operator's list would
    // grow by one a lead every ten minutes for a day.
    const id = `${crypto.randomUUID()}:idx.lead:0`;
    const data = {
      person: {
        firstName: "Was",
        lastName: "Refused",
        emails: [{ value: "was.refused@example.com" }],
        phones: [],
        roles: [],
        tags: [],
        leadSource: { system: "idx", name: "Website" },
      },
      message: "hi",
    };
    const old = Date.now() - 300_000;
    await env.DB.prepare(
      `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, occurred_at, received_at, data, recorded_at) VALUES (?1, 'lead.received', 'd-refused', 'idx', 'person', ?2, ?2, ?3, ?4)`,
    )
      .bind(id, new Date(old).toISOString(), JSON.stringify(data), old)
      .run();
    const letter = crypto.randomUUID();
    await env.DB.prepare(
      `INSERT INTO dead_letters (id, queue, message_id, vendor, error_code, error, attempts, payload, status, created_at, updated_at) VALUES (?1, 'crm', ?2, 'followupboss', 'followupboss_422', 'refused', 1, ?3, 'open', ?4, ?4)`,
    )
      .bind(letter, `m-${letter}`, JSON.stringify({ v: 1, event: { id, type: "lead.received" } }), Date.now())
      .run();
    const journalOn = { ...env, INTAKE_JOURNAL: "on" } as Env;
    expect(await requeueStranded(journalOn, Date.now() + 60 * 60_000)).toBe(0);
    // Once its letter is replayed, the replay is the lead's copy; should that one be lost, the sweep takes over again.
    await env.DB.prepare(`UPDATE dead_letters SET status = 'replayed' WHERE id = ?1`).bind(letter).run();
    expect(await requeueStranded(journalOn, Date.now() + 60 * 60_000)).toBe(1);
  });
});
