import type { CanonicalEvent } from "../canonical";
import { emit } from "../queues/emit";
import { PollMessage } from "../queues/messages";
import { brokerageConfig } from "../config/load";
import { ok, permanent, type Result } from "../lib/result";
import { appliedAmong, markApplied } from "../store/applied";
import { getCursor, setCursor } from "../store/cursors";
import { pollersFor } from "../vendors/systems";
import type { QueueName } from "../queues/names";

const ANNOUNCED = "poll.announced";
/** How long after a record's change time no further change can carry the same (second) stamp. */
const SETTLED_MS = 10_000;

function pollEventId(connection: string, c: { resource: string; id: string; updatedAt: string }): string {
  return `poll:${connection}:${c.resource}:${c.id}:${c.updatedAt}`;
}

/** The poll event ids (one per record and change time) not yet announced for good. */
async function unannounced(db: D1Database, ids: string[]): Promise<Set<string>> {
  const seen = await appliedAmong(db, ANNOUNCED, ids);
  return new Set(ids.filter((id) => !seen.has(id)));
}

async function markAnnounced(db: D1Database, ids: string[], now: number): Promise<void> {
  await markApplied(db, ANNOUNCED, ids, "enqueued", now);
}

/**
 * Runs one backup poll: for each resource of the connection, the changes since its cursor become
 * `vendor.resource_changed` events, routed as a webhook's are (to the queue of the vendor's
 * adapter, the one the poll runs on), so they share rate limits, idempotency and traces. The cursor advances only after its page is enqueued: a crash in between
 * re-reads the page, and the consumers' idempotency absorbs the repeat.
 */
export async function pollMessage(body: unknown, env: Env, queue: QueueName): Promise<Result<string>> {
  const parsed = PollMessage.safeParse(body);
  if (!parsed.success) return permanent("message_invalid", "poll message");
  const config = brokerageConfig(env);
  const conn = config.connections.find((c) => c.id === parsed.data.connection);
  if (!conn) return permanent("connection_unknown", `no connection ${parsed.data.connection}`);
  if (queue === "inbound") return permanent("queue_invalid", "polls run on vendor queues");
  const now = Date.now();
  let total = 0;
  for (const poller of pollersFor(env, config, conn)) {
    const cur = await getCursor(env.DB, conn.id, poller.resource);
    const r = await poller.poll(cur?.cursor ?? null, now);
    // An OAuth vendor not yet connected has nothing to poll; the health check already says so.
    if (!r.ok && r.error.code === "not_connected") return ok("not_connected");
    if (!r.ok) return r;
    const deliveryId = `poll:${conn.id}:${poller.resource}:${now}`;
    const events: CanonicalEvent[] = r.value.changes.map((c) => ({
      id: pollEventId(conn.id, c),
      type: "vendor.resource_changed",
      schemaVersion: 1,
      occurredAt: new Date(Date.parse(c.updatedAt) || now).toISOString(),
      receivedAt: new Date(now).toISOString(),
      source: { system: conn.vendor, externalId: c.id, deliveryId },
      subject: { kind: "other", externalId: c.id },
      data: { system: conn.vendor, resource: c.resource, ids: [c.id], action: "updated", vendorEvent: "poll" },
    }));
    // The records of the cursor's own second are read again by every poll, so that a later change
    // stamped the same second is not missed; once that second is well past (SETTLED_MS, beyond
    // clock skew), a change already announced is not announced again — each notice is a fetch,
    // and the newest record of an idle connection was otherwise fetched again on every poll.
    const fresh = await unannounced(env.DB, events.map((e) => e.id));
    const news = events.filter((e) => fresh.has(e.id));
    await emit(env, news);
    const settled = r.value.changes.filter((c) => Date.parse(c.updatedAt) <= now - SETTLED_MS).map((c) => pollEventId(conn.id, c));
    await markAnnounced(env.DB, settled.filter((id) => fresh.has(id)), now); // once sent: a crash between announces twice
    await setCursor(env.DB, conn.id, poller.resource, r.value.cursor, now);
    total += news.length;
  }
  return ok(`enqueued:${total}`);
}
