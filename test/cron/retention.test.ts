import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import defaults from "../../config/brokerage.json";
import { parseConfig } from "../../src/config/load";
import { purgeExpired } from "../../src/cron/retention";

const DAY = 86_400_000;
const vars = env as unknown as Record<string, unknown>;

function configWith(retentionDays: Record<string, number>) {
  const load = parseConfig({ ...defaults, retentionDays }, vars);
  if (!load.ok) throw new Error(JSON.stringify(load.errors));
  return load.config;
}

describe("the retention schedule", () => {
  it("refuses 0 days, naming the field", () => {
    const load = parseConfig({ ...defaults, retentionDays: { zillow: 0 } }, vars);
    expect(load).toMatchObject({
      ok: false,
      errors: [{ path: "retentionDays.zillow", message: expect.stringContaining("at least 1 day") }],
    });
    expect(parseConfig({ ...defaults, retentionDays: { zillow: 1 } }, vars)).toMatchObject({ ok: true });
  });
});

describe("the nightly purge", () => {
  it("removes every copy of an expired source's data, and nothing a delivery still in flight needs", async () => {
    const now = Date.now();
    const old = now - 40 * DAY;
    const t = crypto.randomUUID().slice(0, 8);
    const [done, inFlight, orphan, freshOrphan] = [`ret-done-${t}`, `ret-flight-${t}`, `ret-orphan-${t}`, `ret-fresh-${t}`];
    const body = (who: string) => JSON.stringify({ type: "lead.created", data: { contact_email_address: `${who}@example.com` } });
    const run = (sql: string, ...args: unknown[]) =>
      env.DB.prepare(sql)
        .bind(...args)
        .run();
    for (const [id, status] of [
      [done, "normalized"],
      [inFlight, "received"],
    ] as const) {
      await run(
        `INSERT INTO deliveries (id, source, delivery_key, received_at, recorded_at, status, payload) VALUES (?1, 'zillow', ?1, ?2, ?2, ?3, ?4)`,
        id,
        old,
        status,
        body(id),
      );
      await run(
        `INSERT INTO events (id, type, delivery_id, source_system, subject_kind, occurred_at, received_at, data, recorded_at) VALUES (?1, 'lead.received', ?2, 'zillow', 'person', 'x', 'x', ?3, ?4)`,
        `${id}:0`,
        id,
        body(id),
        old,
      );
      await run(`INSERT INTO payload_spool (id, body, created_at) VALUES (?1, ?2, ?3)`, id, body(id), old);
    }
    await run(`INSERT INTO payload_spool (id, body, created_at) VALUES (?1, ?2, ?3)`, orphan, body(orphan), old);
    await run(`INSERT INTO payload_spool (id, body, created_at) VALUES (?1, ?2, ?3)`, freshOrphan, body(freshOrphan), now - DAY);
    const letter = (id: string, status: string, history: string) =>
      run(
        `INSERT INTO dead_letters (id, queue, message_id, error_code, error, attempts, history, payload, status, created_at, updated_at) VALUES (?1, 'inbound', ?1, 'x', 'email bounced for who@example.com', 1, ?4, ?2, ?3, ?5, ?5)`,
        id,
        JSON.stringify({ v: 1, source: "zillow", body: { email: `${id}@example.com` } }),
        status,
        history,
        old,
      );
    await letter(`${done}-closed`, "replayed", `[{"error":"who@example.com"}]`);
    await letter(`${done}-open`, "open", `[{"error":"who@example.com"}]`);
    await run(
      `INSERT INTO message_attempts (queue, message_id, attempt, code, error, at) VALUES ('crm', ?1, 1, 'x', 'who@example.com rejected', ?2)`,
      `${done}-m`,
      old,
    );
    await run(
      `INSERT INTO message_attempts (queue, message_id, attempt, code, error, at) VALUES ('crm', ?1, 1, 'x', 'who@example.com rejected', ?2)`,
      `${inFlight}-m`,
      now - 60_000,
    );
    await run(
      `INSERT INTO alert_log (key, kind, at, payload, sent_at) VALUES (?1, 'fired', ?2, '{"text":"who@example.com"}', ?2)`,
      `${done}-sent`,
      old,
    );
    await run(
      `INSERT INTO alert_log (key, kind, at, payload) VALUES (?1, 'fired', ?2, '{"text":"who@example.com"}')`,
      `${done}-unsent`,
      old,
    );

    await purgeExpired(env, configWith({ zillow: 30 }), now);

    const one = <T>(sql: string, ...args: unknown[]) =>
      env.DB.prepare(sql)
        .bind(...args)
        .first<T>();
    expect(await one(`SELECT status, payload FROM deliveries WHERE id = ?1`, done)).toEqual({ status: "purged", payload: null });
    expect(await one(`SELECT status, payload FROM deliveries WHERE id = ?1`, inFlight)).toEqual({
      status: "received",
      payload: body(inFlight),
    });
    expect(await one(`SELECT data FROM events WHERE delivery_id = ?1`, done)).toEqual({ data: null });
    expect(await one(`SELECT data FROM events WHERE delivery_id = ?1`, inFlight)).toEqual({ data: body(inFlight) });
    const spooled = await env.DB.prepare(`SELECT id FROM payload_spool WHERE id IN (?1, ?2, ?3, ?4) ORDER BY id`)
      .bind(done, inFlight, orphan, freshOrphan)
      .all<{ id: string }>();
    expect(spooled.results.map((r) => r.id).sort()).toEqual([freshOrphan, inFlight].sort());
    const closed = await one<{ payload: string; history: string; error: string }>(
      `SELECT payload, history, error FROM dead_letters WHERE id = ?1`,
      `${done}-closed`,
    );
    expect(JSON.stringify(closed)).not.toContain("example.com");
    const open = await one<{ payload: string }>(`SELECT payload FROM dead_letters WHERE id = ?1`, `${done}-open`);
    expect(open?.payload).toContain(`${done}-open@example.com`); // still replayable
    expect(await one(`SELECT error FROM message_attempts WHERE message_id = ?1`, `${done}-m`)).not.toEqual({
      error: "who@example.com rejected",
    });
    expect(await one(`SELECT error FROM message_attempts WHERE message_id = ?1`, `${inFlight}-m`)).toEqual({
      error: "who@example.com rejected",
    });
    expect((await one<{ payload: string }>(`SELECT payload FROM alert_log WHERE key = ?1`, `${done}-sent`))?.payload).not.toContain(
      "example.com",
    );
    expect((await one<{ payload: string }>(`SELECT payload FROM alert_log WHERE key = ?1`, `${done}-unsent`))?.payload).toContain(
      "example.com",
    );
  });
  it("keeps a spooled body that an open dead letter, or a replay still in its queue, needs, past every retention", async () => {
    const now = Date.now();
    const old = now - 40 * DAY;
    const t = crypto.randomUUID().slice(0, 8);
    // Dead-lettered before ingest recorded its delivery (no delivery row): the letter holds only the spool id.
    const cases = [
      [`spool-open-${t}`, "open", old],
      [`spool-replaying-${t}`, "replayed", now - DAY],
      [`spool-replayed-${t}`, "replayed", old],
      [`spool-discarded-${t}`, "discarded", old],
    ] as const;
    for (const [id, status, updated] of cases) {
      await env.DB.prepare(`INSERT INTO payload_spool (id, body, created_at) VALUES (?1, ?2, ?3)`)
        .bind(id, JSON.stringify({ email: `${id}@example.com` }), old)
        .run();
      await env.DB.prepare(
        `INSERT INTO dead_letters (id, queue, message_id, error_code, error, attempts, history, payload, status, created_at, updated_at) VALUES (?1, 'inbound', ?1, 'x', 'x', 1, '[]', ?2, ?3, ?4, ?5)`,
      )
        .bind(`dl-${id}`, JSON.stringify({ v: 1, source: "zillow", deliveryId: id, deliveryKey: id, spoolId: id }), status, old, updated)
        .run();
    }

    await purgeExpired(env, configWith({ zillow: 30 }), now);

    const left = await env.DB.prepare(`SELECT id FROM payload_spool WHERE id IN (?1, ?2, ?3, ?4)`)
      .bind(...cases.map(([id]) => id))
      .all<{ id: string }>();
    expect(left.results.map((r) => r.id).sort()).toEqual([`spool-open-${t}`, `spool-replaying-${t}`].sort());
  });
});
