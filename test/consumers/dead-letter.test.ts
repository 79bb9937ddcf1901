import { createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeDeadLetters } from "../../src/consumers/dead-letter";
import { runBatch } from "../../src/queues/run-batch";
import { DEFAULT_RETRY_POLICY, maxAttempts } from "../../src/queues/retry-policy";
import { MAX_THROTTLED } from "../../src/queues/throttle";
import { fail, transient } from "../../src/lib/result";
import { classifyStatus } from "../../src/vendors/shared/classify";

function batchOf(queue: string, id: string, body: unknown, attempts: number) {
  return createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body }]);
}

describe("runBatch settles each message mechanically", () => {
  it("retries a transient failure with a delay and records the attempt under the vendor and status operators read", async () => {
    const batch = batchOf("dealwire-crm", "m-transient", { x: 1 }, 1);
    const ctx = createExecutionContext();
    await runBatch(batch, env, "crm", async () => fail(classifyStatus("followupboss", 503, "Service Unavailable")));
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m-transient"]);
    const row = await env.DB.prepare("SELECT code, status FROM message_attempts WHERE message_id = 'm-transient'").first();
    expect(row).toEqual({ code: "followupboss_503", status: 503 });
  });

  it("sends a permanent failure to the dead-letter queue at once and acks it", async () => {
    const batch = batchOf("dealwire-crm", "m-permanent", { person: "p1" }, 1);
    const ctx = createExecutionContext();
    await runBatch(batch, env, "crm", async () => fail(classifyStatus("followupboss", 422, "Unprocessable")));
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m-permanent"]);
    expect(result.retryMessages).toEqual([]);
  });

  it("a handler that throws is retried, never acked", async () => {
    const batch = batchOf("dealwire-tms", "m-throws", {}, 2);
    const ctx = createExecutionContext();
    await runBatch(batch, env, "tms", async () => {
      throw new Error("boom");
    });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m-throws"]);
  });
});

describe("the dead-letter path ends in D1 with the whole history", () => {
  it("an exhausted message lands in dead_letters with every attempt's status and error", async () => {
    const last = maxAttempts(DEFAULT_RETRY_POLICY);
    // Earlier attempts failed transiently; the last one exhausts the ladder.
    for (let a = 1; a < last; a++) {
      const b = batchOf("dealwire-tms", "m-exhaust", { loop: 7 }, a);
      await runBatch(b, env, "tms", async () => fail(classifyStatus("dotloop", 502, `Bad Gateway #${a}`)));
    }
    const final = batchOf("dealwire-tms", "m-exhaust", { loop: 7 }, last);
    let sent: unknown;
    const spyEnv = {
      ...env,
      DEAD_LETTER: { send: async (b: unknown) => void (sent = b), sendBatch: async () => undefined },
    } as unknown as Env;
    await runBatch(final, spyEnv, "tms", async () => fail(classifyStatus("dotloop", 502, "Bad Gateway final")));
    expect(sent).toMatchObject({
      kind: "dead_letter",
      queue: "tms",
      reason: "exhausted",
      errorCode: "dotloop_502",
      vendor: "dotloop",
      payload: { loop: 7 },
    });

    // The dead-letter consumer stores it, with the attempt history from D1.
    const dl = createMessageBatch("dealwire-dead-letter", [{ id: "dl-1", timestamp: new Date(), attempts: 1, body: sent }]);
    const ctx = createExecutionContext();
    await consumeDeadLetters(dl, env);
    expect((await getQueueResult(dl, ctx)).explicitAcks).toEqual(["dl-1"]);
    const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE message_id = 'm-exhaust'").first<{
      history: string;
      attempts: number;
      status: string;
      vendor: string;
      payload: string;
    }>();
    expect(row?.status).toBe("open");
    expect(row?.vendor).toBe("dotloop");
    expect(row?.attempts).toBe(last);
    expect(JSON.parse(row?.payload ?? "null")).toEqual({ loop: 7 });
    const history = JSON.parse(row?.history ?? "[]") as Array<{ attempt: number; status: number }>;
    expect(history.map((h) => h.attempt)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(history.every((h) => h.status === 502)).toBe(true);
  });

  it("a message the platform moved without our envelope is stored too, not dropped", async () => {
    const dl = createMessageBatch("dealwire-dead-letter", [
      { id: "raw-1", timestamp: new Date(), attempts: 11, body: { v: 1, something: "else" } },
    ]);
    const ctx = createExecutionContext();
    await consumeDeadLetters(dl, env);
    expect((await getQueueResult(dl, ctx)).explicitAcks).toEqual(["raw-1"]);
    const row = await env.DB.prepare("SELECT error_code, queue, queues, error FROM dead_letters WHERE message_id = 'raw-1'").first<{
      error: string;
    }>();
    expect(row).toMatchObject({ error_code: "retries_exhausted", queue: "unknown", queues: null });
    expect(row?.error).toContain("Its queue cannot be told: its body is none of the hub's queue messages");
  });

  it("a raw message's queue is read off its body, narrowed by the attempts its id recorded, and stored as inferred", async () => {
    const at = new Date().toISOString();
    const person = { emails: [{ value: "raw@example.com" }], phones: [], roles: [], tags: [] };
    const upserted = {
      v: 1,
      event: {
        id: "raw-evt:0",
        type: "person.upserted",
        schemaVersion: 1,
        occurredAt: at,
        receivedAt: at,
        source: { system: "followupboss", deliveryId: "dlv_raw" },
        subject: { kind: "person" },
        data: { person },
      },
    };
    // The tms consumer recorded an attempt of raw-3 before it crashed: that is where it came from.
    await env.DB.prepare(
      "INSERT INTO message_attempts (queue, message_id, attempt, code, error, at) VALUES ('tms', 'raw-3', 1, 'internal', 'boom', 1)",
    ).run();
    const inbound = {
      v: 1,
      deliveryId: "dlv_raw_in",
      source: "zillow",
      deliveryKey: "id:raw",
      receivedAt: Date.now(),
      headers: {},
      body: {},
    };
    const dl = createMessageBatch("dealwire-dead-letter", [
      { id: "raw-2", timestamp: new Date(), attempts: 1, body: upserted },
      { id: "raw-3", timestamp: new Date(), attempts: 1, body: upserted },
      { id: "raw-4", timestamp: new Date(), attempts: 1, body: { ...inbound, replayOf: "letter-before" } },
    ]);
    const ctx = createExecutionContext();
    await consumeDeadLetters(dl, env);
    expect((await getQueueResult(dl, ctx)).explicitAcks).toEqual(["raw-2", "raw-3", "raw-4"]);
    const row = (id: string) =>
      env.DB.prepare("SELECT queue, queues, replay_of, error, history FROM dead_letters WHERE message_id = ?1")
        .bind(id)
        .first<{ queue: string; queues: string; replay_of: string | null; error: string; history: string }>();
    expect(await row("raw-2")).toMatchObject({ queue: "crm", queues: '["crm","tms"]', replay_of: null });
    expect((await row("raw-2"))?.error).toContain("Queue inferred from the message, a canonical person.upserted event: crm, tms.");
    const narrowed = await row("raw-3");
    expect(narrowed).toMatchObject({ queue: "tms", queues: '["tms"]' });
    expect(JSON.parse(narrowed?.history ?? "[]")).toEqual([expect.objectContaining({ attempt: 1, code: "internal" })]);
    expect(await row("raw-4")).toMatchObject({ queue: "inbound", queues: '["inbound"]', replay_of: "letter-before" });
  });
});

describe("a call our own rate budget held back", () => {
  it("goes back to its queue as a fresh message with the delay, spending no retry attempt", async () => {
    const batch = batchOf("dealwire-crm", "m-deferred", { lead: 1 }, 9);
    const ctx = createExecutionContext();
    let resent: { body: unknown; delay: number | undefined } | undefined;
    const spyEnv = {
      ...env,
      CRM: {
        send: async (body: unknown, o?: { delaySeconds?: number }) => void (resent = { body, delay: o?.delaySeconds }),
        sendBatch: async () => undefined,
      },
    } as unknown as Env;
    await runBatch(batch, spyEnv, "crm", async () =>
      transient("rate_limited_local", "budget spent", { retryAfterSeconds: 4, vendor: "followupboss", defer: true }),
    );
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m-deferred"]);
    expect(result.retryMessages).toEqual([]);
    expect(resent).toEqual({ body: { lead: 1 }, delay: 4 });
  });
});

describe("a call the vendor throttled (429)", () => {
  const spyQueue = () => {
    const sent: Array<{ body: unknown; delay: number | undefined }> = [];
    const spyEnv = {
      ...env,
      TMS: {
        send: async (body: unknown, o?: { delaySeconds?: number }) => void sent.push({ body, delay: o?.delaySeconds }),
        sendBatch: async () => undefined,
      },
    } as unknown as Env;
    return { sent, spyEnv };
  };

  it("goes back to its queue after the vendor's Retry-After without spending a retry, even on its last attempt", async () => {
    const batch = batchOf("dealwire-tms", "m-throttled", { v: 1, deal: 7 }, maxAttempts(DEFAULT_RETRY_POLICY));
    const { sent, spyEnv } = spyQueue();
    await runBatch(batch, spyEnv, "tms", async () => fail(classifyStatus("dotloop", 429, "Too Many Requests", 12)));
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual(["m-throttled"]);
    expect(result.retryMessages).toEqual([]);
    expect(sent).toEqual([{ body: { v: 1, deal: 7, throttled: 1 }, delay: 12 }]);
    expect(await env.DB.prepare("SELECT id FROM dead_letters WHERE id = ?").bind("m-throttled").first()).toBeNull();
  });

  it("a copy throttled too often spends its attempts on the ladder again, so endless throttling still ends in a letter", async () => {
    const batch = batchOf("dealwire-tms", "m-throttled-long", { v: 1, deal: 8, throttled: MAX_THROTTLED }, 2);
    const { sent, spyEnv } = spyQueue();
    await runBatch(batch, spyEnv, "tms", async () => fail(classifyStatus("dotloop", 429, "Too Many Requests")));
    const result = await getQueueResult(batch, createExecutionContext());
    expect(sent).toEqual([]);
    expect(result.retryMessages).toEqual([expect.objectContaining({ msgId: "m-throttled-long" })]);
  });

  it("other retryable failures still spend an attempt", async () => {
    const batch = batchOf("dealwire-tms", "m-503", { v: 1, deal: 9 }, 1);
    const { sent, spyEnv } = spyQueue();
    await runBatch(batch, spyEnv, "tms", async () => fail(classifyStatus("dotloop", 503, "Service Unavailable", 12)));
    const result = await getQueueResult(batch, createExecutionContext());
    expect(sent).toEqual([]);
    expect(result.retryMessages).toEqual([expect.objectContaining({ msgId: "m-503" })]);
  });
});
