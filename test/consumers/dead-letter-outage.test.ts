import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeadLetterEnvelope } from "../../src/queues/messages";
import { consumeDeadLetters } from "../../src/consumers/dead-letter";
import { runScheduled } from "../../src/cron";
import worker from "../../src/index";
import { SANDBOX } from "../helpers/sandbox";

/** D1 as it behaves while it is down: every query fails with D1's own error. */
function d1Down(): D1Database {
  const fail = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
  const stmt = { bind: () => stmt, run: fail, first: fail, all: fail, raw: fail };
  return {
    prepare: () => stmt,
    batch: fail,
    exec: fail,
    dump: fail,
    withSession: () => {
      throw new Error("D1_ERROR: Network connection lost.");
    },
  } as unknown as D1Database;
}

function envelope(messageId: string): DeadLetterEnvelope {
  return {
    v: 1,
    kind: "dead_letter",
    queue: "crm",
    messageId,
    attempts: 11,
    reason: "exhausted",
    errorCode: "followupboss_503",
    error: "Service Unavailable",
    status: 503,
    vendor: "followupboss",
    payload: { lead: messageId },
  };
}

const letter = (messageId: string) =>
  env.DB.prepare(`SELECT queue, error_code, status, payload FROM dead_letters WHERE message_id = ?1`)
    .bind(messageId)
    .first<{ queue: string; error_code: string; status: string; payload: string }>();

describe("dead letters during a D1 outage", () => {
  it("are kept outside D1 on the queue's last retry, alerted at once, and moved into D1 by the cron once it answers", async () => {
    const id = crypto.randomUUID().slice(0, 8);
    const down = { ...env, DB: d1Down(), ALERT_WEBHOOK_URL: `${SANDBOX}/chat/webhook/200` };
    // The tenth delivery of each: the last the platform makes before it drops a message for good.
    const batch = createMessageBatch("dealwire-dead-letter", [
      { id: `out-${id}-a`, timestamp: new Date(), attempts: 10, body: envelope(`m-${id}-a`) },
      { id: `out-${id}-b`, timestamp: new Date(), attempts: 10, body: { v: 1, kind: "poll", connection: "followupboss:main", at: 1 } },
    ]);
    const ctx = createExecutionContext();
    await consumeDeadLetters(batch, down);
    const settled = await getQueueResult(batch, ctx);
    expect(settled.retryMessages).toEqual([]);
    expect(settled.explicitAcks).toEqual([`out-${id}-a`, `out-${id}-b`]);
    // The critical alert went straight to the webhook, D1 being unable to keep it.
    expect(await env.IDEMPOTENCY.get("alert-sent:dead_letters:parked")).not.toBeNull();
    expect(await letter(`m-${id}-a`)).toBeNull();

    // An hour later D1 answers; the next cron run moves both letters in.
    await runScheduled(createScheduledController({ scheduledTime: Date.now() + 3_600_000, cron: "*/5 * * * *" }), env);
    expect(await letter(`m-${id}-a`)).toMatchObject({
      queue: "crm",
      error_code: "followupboss_503",
      status: "open",
      payload: JSON.stringify({ lead: `m-${id}-a` }),
    });
    expect(await letter(`out-${id}-b`)).toMatchObject({ queue: "crm", error_code: "retries_exhausted", status: "open" });
    const alert = await env.DB.prepare(`SELECT severity, state FROM alerts WHERE key = 'dead_letters:parked'`).first();
    expect(alert).toEqual({ severity: "critical", state: "firing" });
    expect((await env.IDEMPOTENCY.list({ prefix: "parked-letter:" })).keys).toEqual([]);

    // Nothing left outside D1: the next run resolves the alert.
    await runScheduled(createScheduledController({ scheduledTime: Date.now() + 3_900_000, cron: "*/5 * * * *" }), env);
    expect(await env.DB.prepare(`SELECT state FROM alerts WHERE key = 'dead_letters:parked'`).first()).toEqual({ state: "resolved" });
  });

  it("a parked letter that does not parse keeps the critical alert up, naming it, and stays parked; readable ones move in", async () => {
    const id = crypto.randomUUID().slice(0, 8);
    const readable = { messageId: `m-${id}-ok`, attempts: 10, body: envelope(`m-${id}-ok`), parkedAt: Date.now() };
    await env.IDEMPOTENCY.put(`parked-letter:m-${id}-ok`, JSON.stringify(readable));
    await env.IDEMPOTENCY.put(`parked-letter:m-${id}-torn`, '{"messageId":"m-torn","attem');
    try {
      await runScheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env);
      expect(await letter(`m-${id}-ok`)).toMatchObject({ queue: "crm", status: "open" });
      const alert = await env.DB.prepare(`SELECT state, detail FROM alerts WHERE key = 'dead_letters:parked'`).first<{
        state: string;
        detail: string;
      }>();
      expect(alert?.state).toBe("firing");
      expect(alert?.detail).toContain(`parked-letter:m-${id}-torn`);
      expect(await env.IDEMPOTENCY.get(`parked-letter:m-${id}-torn`)).not.toBeNull();

      // Still there at the next run: the alert is not resolved as if none waited.
      await runScheduled(createScheduledController({ scheduledTime: Date.now() + 300_000, cron: "*/5 * * * *" }), env);
      expect((await env.DB.prepare(`SELECT state FROM alerts WHERE key = 'dead_letters:parked'`).first<{ state: string }>())?.state).toBe(
        "firing",
      );
    } finally {
      await env.IDEMPOTENCY.delete(`parked-letter:m-${id}-torn`);
    }
  });

  it("what the platform moves past the dead-letter queue's retries lands on a fallback queue the same consumer stores", async () => {
    const id = crypto.randomUUID().slice(0, 8);
    const batch = createMessageBatch("dealwire-dead-letter-fallback", [
      { id: `fb-${id}`, timestamp: new Date(), attempts: 1, body: envelope(`m-${id}-fb`) },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`fb-${id}`]);
    expect(await letter(`m-${id}-fb`)).toMatchObject({ queue: "crm", status: "open" });
  });
});
