import type { CanonicalMessage } from "../canonical";
import { brokerageConfig } from "../config/load";
import { PollMessage } from "../cron/poll-message";
import { ok, permanent, type Result } from "../lib/result";
import { getCursor, setCursor } from "../store/cursors";
import { pollersFor } from "../vendors/systems";
import { queueOf, type QueueName } from "./queues";

/**
 * Runs one backup poll: for each resource of the connection, the changes since its cursor become
 * `vendor.resource_changed` events on the same queue webhooks feed, so they share rate limits,
 * idempotency and traces. The cursor advances only after its page is enqueued: a crash in between
 * re-reads the page, and the consumers' idempotency absorbs the repeat.
 */
export async function pollMessage(body: unknown, env: Env, queue: QueueName): Promise<Result<string>> {
  const parsed = PollMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "poll message");
  const config = brokerageConfig(env);
  const conn = config.connections.find((c) => c.id === parsed.data.connection);
  if (!conn) return permanent("connection_unknown", `no connection ${parsed.data.connection}`);
  if (queue === "inbound") return permanent("queue_invalid", "polls run on vendor queues");
  const target = queueOf(env, queue);
  const now = Date.now();
  let total = 0;
  for (const poller of pollersFor(env, config, conn)) {
    const cur = await getCursor(env.DB, conn.id, poller.resource);
    const r = await poller.poll(cur?.cursor ?? null, now);
    // An OAuth vendor not yet connected has nothing to poll; the health check already says so.
    if (!r.ok && r.error.code === "not_connected") return ok("not_connected");
    if (!r.ok) return r;
    const deliveryId = `poll:${conn.id}:${poller.resource}:${now}`;
    const messages: CanonicalMessage[] = r.value.changes.map((c) => ({
      v: 1,
      event: {
        id: `poll:${conn.id}:${c.resource}:${c.id}:${c.updatedAt}`,
        type: "vendor.resource_changed",
        schemaVersion: 1,
        occurredAt: new Date(Date.parse(c.updatedAt) || now).toISOString(),
        receivedAt: new Date(now).toISOString(),
        source: { system: conn.vendor, externalId: c.id, deliveryId },
        subject: { kind: "other", externalId: c.id },
        data: { system: conn.vendor, resource: c.resource, ids: [c.id], action: "updated", vendorEvent: "poll" },
      },
    }));
    for (let i = 0; i < messages.length; i += 50) {
      await target.sendBatch(messages.slice(i, i + 50).map((b) => ({ body: b, contentType: "json" as const })));
    }
    await setCursor(env.DB, conn.id, poller.resource, r.value.cursor, now);
    total += messages.length;
  }
  return ok(`enqueued:${total}`);
}
