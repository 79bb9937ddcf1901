import { fireAlert } from "../alerts";
import type { CanonicalEvent } from "../canonical";
import { emit } from "../queues/emit";
import { PollMessage } from "../queues/messages";
import { brokerageConfig } from "../config/load";
import { ok, permanent, type Result } from "../lib/result";
import { appliedAmong, markApplied } from "../store/applied";
import { getCursor, setCursor } from "../store/cursors";
import { linkedAmong } from "../store/links";
import { laterCursor, rewindCursor } from "../vendors/poller";
import { pollersFor } from "../vendors/systems";
import type { QueueName } from "../queues/names";

const ANNOUNCED = "poll.announced";
const RESCANNED = "poll.rescanned";
/** How often a rescanning poller re-reads, and how far back: the last hour, with a margin. */
export const RESCAN_EVERY_MS = 3_600_000;
const RESCAN_LOOKBACK_MS = 65 * 60_000;

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

/** The poll event ids of records the hub has no link for (a rescan announces those again). */
async function unlinked(db: D1Database, system: string, kind: "deal" | "transaction", events: CanonicalEvent[]): Promise<Set<string>> {
  const known = await linkedAmong(
    db,
    system,
    kind,
    events.map((e) => e.source.externalId ?? ""),
  );
  return new Set(events.filter((e) => !known.has(e.source.externalId ?? "")).map((e) => e.id));
}

async function markAnnounced(db: D1Database, ids: string[], now: number): Promise<void> {
  await markApplied(db, ANNOUNCED, ids, "enqueued", now);
}

/**
 * Runs one backup poll: for each resource of the connection, the changes since its cursor become
 * `vendor.resource_changed` events, routed as a webhook's are (to the queue of the vendor's
 * adapter, the one the poll runs on), so they share rate limits, idempotency and traces. The
 * cursor advances only after its page is enqueued: a crash in between re-reads the page, and the
 * consumers' idempotency absorbs the repeat.
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
    // Once per RESCAN_EVERY of the cron's clock (the message's `at`), a rescanning poller reads
    // back past its cursor: a notice lost after it was announced is announced again.
    const rescanKey = `${conn.id}:${poller.resource}:${Math.floor(parsed.data.at / RESCAN_EVERY_MS)}`;
    const from =
      poller.rescanUnlinked && cur?.cursor && (await appliedAmong(env.DB, RESCANNED, [rescanKey])).size === 0
        ? rewindCursor(cur.cursor, RESCAN_LOOKBACK_MS)
        : null;
    const r = await poller.poll(from ?? cur?.cursor ?? null, now);
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
      data: { system: conn.vendor, resource: c.resource, ids: [c.id], action: c.action ?? "updated", vendorEvent: "poll" },
    }));
    // The records of the cursor's own second are read again by every poll, so that a later change
    // stamped the same second is not missed; once that second is well past (SETTLED_MS, beyond
    // clock skew), a change already announced is not announced again — each notice is a fetch,
    // and the newest record of an idle connection was otherwise fetched again on every poll.
    // A rescan passes on what changed since the cursor, as every poll does; of what it reads before
    // the cursor, only records the hub has no link for.
    const rescanKind = from ? poller.rescanUnlinked : undefined;
    const since = Date.parse(cur?.cursor ?? "");
    const fresh = await unannounced(
      env.DB,
      events.filter((e) => !(from && Date.parse(e.occurredAt) < since)).map((e) => e.id),
    );
    if (rescanKind) for (const id of await unlinked(env.DB, conn.vendor, rescanKind, events)) fresh.add(id);
    const news = events.filter((e) => fresh.has(e.id));
    await emit(env, news);
    const settled = r.value.changes.filter((c) => Date.parse(c.updatedAt) <= now - SETTLED_MS).map((c) => pollEventId(conn.id, c));
    await markAnnounced(
      env.DB,
      settled.filter((id) => fresh.has(id)),
      now,
    ); // once sent: a crash between announces twice
    // Raised before the cursor moves on: if raising it fails, the retry polls the same window again.
    const { unread } = r.value;
    if (unread)
      await fireAlert(env, {
        key: `poll_unread:${conn.id}:${poller.resource}`,
        severity: "critical",
        title: `The backup poll of ${conn.id} left ${poller.resource} changes unread`,
        detail: `${poller.resource} changes from ${unread.from} to ${unread.to} went unread (more than one poll reads, or older than the vendor keeps); a webhook lost among them is not recovered. Run a backfill of ${conn.id}, then resolve this alert.`,
      });
    await setCursor(env.DB, conn.id, poller.resource, from ? laterCursor(cur?.cursor ?? null, r.value.cursor) : r.value.cursor, now);
    if (from) await markApplied(env.DB, RESCANNED, [rescanKey], `announced:${news.length}`, now);
    total += news.length;
  }
  return ok(`enqueued:${total}`);
}
