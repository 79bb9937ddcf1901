import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/queues/messages";
import { ingestMessage } from "../../src/consumers/ingest";
import { DEFAULT_RETRY_POLICY, maxAttempts } from "../../src/queues/retry-policy";
import { runBatch } from "../../src/queues/run-batch";
import { recordedId } from "../../src/store/seen";
import { spoolPayload } from "../../src/store/spool";
import { eventually } from "../helpers/deliveries";
import { api, phone, tag, zillowLead } from "../ops/helpers";

/**
 * The D1 binding as it behaves during a short outage: the first batch that writes events fails
 * with D1's own error, as a locked or unreachable database makes it; everything else goes through.
 */
function failingOnceOnEvents(db: D1Database): D1Database {
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  let failed = false;
  const prepare = (sql: string): D1PreparedStatement => {
    const stmt = db.prepare(sql);
    sqlOf.set(stmt, sql);
    const bind = stmt.bind.bind(stmt);
    stmt.bind = (...values: unknown[]) => {
      const bound = bind(...values);
      sqlOf.set(bound, sql);
      return bound;
    };
    return stmt;
  };
  const batch = async <T>(stmts: D1PreparedStatement[]): Promise<D1Result<T>[]> => {
    if (!failed && stmts.some((s) => /INSERT INTO events/i.test(sqlOf.get(s) ?? ""))) {
      failed = true;
      throw new Error("D1_ERROR: database is locked: SQLITE_BUSY");
    }
    return db.batch<T>(stmts);
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return prepare;
      if (prop === "batch") return batch;
      const v: unknown = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** A 150 KB Zillow lead spooled the way the intake spools bodies over the queue limit, and its message. */
async function spooledLead(): Promise<{ message: InboundMessage; email: string }> {
  const t = tag();
  const email = `spool${t}@example.com`;
  const body = zillowLead({ email, name: `Sol Spool${t}`, phone: phone() }) as { data: Record<string, unknown> };
  body.data["message"] = `Please call. ${"m".repeat(150 * 1024)}`;
  const deliveryId = crypto.randomUUID();
  const receivedAt = Date.now();
  await spoolPayload(env.DB, deliveryId, JSON.stringify(body), receivedAt);
  return {
    email,
    message: {
      v: 1,
      deliveryId,
      source: "zillow",
      deliveryKey: `id:msg_${crypto.randomUUID()}`,
      receivedAt,
      eventHint: "lead.created",
      headers: {},
      spoolId: deliveryId,
    },
  };
}

const attempt = async (message: InboundMessage, id: string, attempts: number, e: Env) => {
  const batch = createMessageBatch("dealwire-inbound", [{ id, timestamp: new Date(), attempts, body: message }]);
  const ctx = createExecutionContext();
  await runBatch(batch, e, "inbound", (b) => ingestMessage(b, e));
  return getQueueResult(batch, ctx);
};

const status = (id: string) =>
  env.DB.prepare(`SELECT status FROM deliveries WHERE id = ?1`)
    .bind(id)
    .first<{ status: string }>()
    .then((r) => r?.status);
const spooled = (id: string) =>
  env.DB.prepare(`SELECT COUNT(*) AS n FROM payload_spool WHERE id = ?1`)
    .bind(id)
    .first<{ n: number }>()
    .then((r) => r?.n);

describe("a spooled body whose ingest fails after it was recorded", () => {
  it("is retried from its spool and ends NORMALIZED; only then do copies of it count as seen", async () => {
    const { message } = await spooledLead();
    const first = await attempt(message, "spool-retry", 1, { ...env, DB: failingOnceOnEvents(env.DB) });
    expect(first.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["spool-retry"]);
    expect(await status(message.deliveryId)).toBe("received");
    // Not yet "seen": the vendor's own redelivery is queued and resumes the work, not answered "duplicate".
    expect(await recordedId(env.IDEMPOTENCY, message.source, message.deliveryKey)).toBeNull();
    expect(await spooled(message.deliveryId)).toBe(1);

    const second = await attempt(message, "spool-retry", 2, env);
    expect(second.explicitAcks).toEqual(["spool-retry"]);
    expect(await status(message.deliveryId)).toBe("normalized");
    expect(await spooled(message.deliveryId)).toBe(0);
    expect(await recordedId(env.IDEMPOTENCY, message.source, message.deliveryKey)).toBe(message.deliveryId);
    const events = await env.DB.prepare(`SELECT type FROM events WHERE delivery_id = ?1`).bind(message.deliveryId).all<{ type: string }>();
    expect(events.results.map((r) => r.type)).toContain("lead.received");
  });

  it("dead-lettered on its last attempt, it replays through the operator API to NORMALIZED", async () => {
    const { message, email } = await spooledLead();
    const messageId = `spool-last-${crypto.randomUUID()}`;
    const last = await attempt(message, messageId, maxAttempts(DEFAULT_RETRY_POLICY), { ...env, DB: failingOnceOnEvents(env.DB) });
    expect(last.explicitAcks).toEqual([messageId]); // acked only once the dead-letter queue has it
    const letter = await eventually(
      () =>
        env.DB.prepare(`SELECT id FROM dead_letters WHERE queue = 'inbound' AND message_id = ?1`).bind(messageId).first<{ id: string }>(),
      10_000,
    );
    expect((await api(`/dead-letters/${letter.id}/replay`, { method: "POST" })).status).toBe(200);
    await eventually(async () => (await status(message.deliveryId)) === "normalized", 10_000);
    await eventually(
      () => env.DB.prepare(`SELECT person_id FROM person_keys WHERE kind = 'email' AND value = ?1`).bind(email).first(),
      10_000,
    );
    expect(await spooled(message.deliveryId)).toBe(0);
  });

  it("a copy arriving after the spool row is gone reads the body D1 recorded", async () => {
    const { message } = await spooledLead();
    // The state a delivery recorded before the spool row went with it: recorded, spool gone, not ended.
    const first = await attempt(message, "spool-gone", 1, { ...env, DB: failingOnceOnEvents(env.DB) });
    expect(first.retryMessages).toHaveLength(1);
    await env.DB.prepare(`DELETE FROM payload_spool WHERE id = ?1`).bind(message.deliveryId).run();
    const again = await ingestMessage(message, env);
    expect(again).toMatchObject({ ok: true, value: { outcome: "normalized" } });
    expect(await status(message.deliveryId)).toBe("normalized");
  });
});
