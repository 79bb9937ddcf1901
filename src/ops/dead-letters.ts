import {
  claimForReplay,
  countReplayable,
  REPLAYABLE_QUEUES,
  getDeadLetter,
  pageDeadLetters,
  reopenDeadLetters,
  replayableLetters,
  replaysOf,
  setDeadLetterStatus,
  type DeadLetterRow,
} from "../store/dead-letters";
import { traceStatement } from "../store/traces";
import { done, refused, type Outcome } from "../lib/outcome";
import type { BulkReplay, DeadLetterFilter } from "./schemas";
import { resend, resendBatch } from "../queues/send";
import { markReplay } from "../queues/dead-letter-envelope";
import { recordInPlace } from "../queues/once";
import { ok } from "../lib/result";

/** Dead letters for operators: find, inspect, replay into their queue, discard with a reason. */

/**
 * Reopens claimed letters whose message did not reach its queue, tried again in place through D1
 * trouble: a letter left claimed would read as replayed, its message sent nowhere.
 */
const reopen = (db: D1Database, ids: string[]) =>
  recordInPlace(async () => ok(await reopenDeadLetters(db, ids)), { log: "record_retried", eventId: ids.join(), action: "reopen" });

type ReplayableQueue = (typeof REPLAYABLE_QUEUES)[number];
/** Queue limits: 100 messages and 256 KB per sendBatch; stay under both. */
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200_000;

function isReplayable(queue: string): queue is ReplayableQueue {
  return (REPLAYABLE_QUEUES as readonly string[]).includes(queue);
}

/**
 * The queues a letter's replay goes to: the ones inferred from its body when the platform moved
 * it raw (an event routed to several queues goes back to each), else the one its envelope named.
 */
export function replayQueues(r: Pick<DeadLetterRow, "queue" | "queues">): ReplayableQueue[] {
  const inferred = r.queues === null ? null : parsePayload(r.queues);
  const named: unknown[] = inferred?.ok && Array.isArray(inferred.value) ? inferred.value : [r.queue];
  return named.filter((q): q is ReplayableQueue => typeof q === "string" && isReplayable(q));
}

function parsePayload(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The delivery a queue message came from, so a replay shows on that delivery's timeline. */
export function deliveryOf(payload: unknown): string | undefined {
  if (!payload || typeof payload !== "object") return undefined;
  const p = payload as { deliveryId?: unknown; event?: { source?: { deliveryId?: unknown } } };
  if (typeof p.deliveryId === "string") return p.deliveryId;
  const d = p.event?.source?.deliveryId;
  return typeof d === "string" ? d : undefined;
}

/**
 * Delay (seconds) of the i-th replayed message so that at most `perSecond` become visible to the
 * queue in any one second: message i waits floor(i / perSecond) seconds.
 */
export function paceDelays(count: number, perSecond: number): number[] {
  const rate = Math.max(1, Math.floor(perSecond));
  return Array.from({ length: count }, (_, i) => Math.floor(i / rate));
}

/** A letter as the API shows it in lists: everything but the message body. */
export function deadLetterView(r: DeadLetterRow) {
  return {
    id: r.id,
    queue: r.queue,
    /** Where a replay sends the message; empty when its queue is unknown. */
    queues: replayQueues(r),
    /** The platform moved the message raw, and its queue was read off the body. */
    queueInferred: r.queues !== null,
    messageId: r.message_id,
    vendor: r.vendor,
    errorCode: r.error_code,
    error: r.error,
    attempts: r.attempts,
    status: r.status,
    reason: r.reason,
    /** The letter whose replay failed again as this one. */
    replayOf: r.replay_of,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
export type DeadLetterView = ReturnType<typeof deadLetterView>;

const DEFAULT_PAGE = 100;

/**
 * Dead letters by status, vendor, error code, queue and creation window, newest first, one page
 * at a time: the total matching the filter, and a cursor for the next page (null on the last).
 */
export async function findDeadLetters(
  db: D1Database,
  f: DeadLetterFilter,
): Promise<{ deadLetters: DeadLetterView[]; total: number; cursor: string | null }> {
  const page = await pageDeadLetters(db, { ...f, limit: f.limit ?? DEFAULT_PAGE });
  return { deadLetters: page.rows.map(deadLetterView), total: page.total, cursor: page.cursor };
}

interface HistoryEntry {
  attempt?: number;
  status?: number | null;
  code?: string;
  error?: string;
  at?: number;
}

/** One letter with every attempt from its history and the original message body. */
export async function deadLetterDetail(db: D1Database, id: string) {
  const row = await getDeadLetter(db, id);
  if (!row) return null;
  const history = parsePayload(row.history);
  const payload = parsePayload(row.payload);
  const later = await replaysOf(db, id);
  return {
    ...deadLetterView(row),
    /** Letters that this one's replays failed again as. */
    replayedAs: later,
    history: history.ok && Array.isArray(history.value) ? (history.value as HistoryEntry[]) : [],
    payload: payload.ok ? payload.value : row.payload,
    deliveryId: payload.ok ? (deliveryOf(payload.value) ?? null) : null,
    replayable: row.status === "open" && replayQueues(row).length > 0,
  };
}
export type DeadLetterDetail = NonNullable<Awaited<ReturnType<typeof deadLetterDetail>>>;

/**
 * Re-sends one open letter's original message to the queue it failed on (each inferred queue, for
 * a message the platform moved raw) and marks it replayed. The consumers are idempotent, so
 * replaying something already applied changes nothing; if the message fails again it becomes a
 * new dead letter, which links back to this one (`replayOf`). The letter is claimed before the
 * send, so two operators clicking at once send it once.
 */
export async function replayDeadLetter(
  env: Env,
  id: string,
  actor: string,
  now = Date.now(),
): Promise<Outcome<{ id: string; queue: string; queues: string[]; status: "replayed" }>> {
  const db = env.DB;
  const row = await getDeadLetter(db, id);
  if (!row) return refused("not_found", `No dead letter ${id}.`);
  if (row.status !== "open") return refused("conflict", `Dead letter ${id} is ${row.status}; only open letters can be replayed.`);
  const queues = replayQueues(row);
  if (queues.length === 0)
    return refused("conflict", `Dead letter ${id} came from no known queue ('${row.queue}'); inspect and discard it.`);
  const payload = parsePayload(row.payload);
  if (!payload.ok) return refused("conflict", `Dead letter ${id} holds no JSON message to replay.`);
  if (!(await setDeadLetterStatus(db, id, "replayed", `replayed by ${actor}`, now))) {
    return refused("conflict", `Dead letter ${id} was changed by someone else; reload it.`);
  }
  const body = markReplay(payload.value, id);
  for (const name of queues) {
    try {
      await resend(env, name, body);
    } catch {
      // A queue that already took it gets it again on the next replay: harmless, as above.
      await reopen(db, [id]);
      return refused("queue_unavailable", `The ${name} queue did not accept the message; the letter stays open.`);
    }
  }
  const deliveryId = deliveryOf(payload.value);
  await traceStatement(db, {
    subject: id,
    ...(deliveryId ? { deliveryId } : {}),
    stage: "DLQ_REPLAYED",
    detail: `${queues.join(", ")} by ${actor}`,
    at: now,
  }).run();
  return done({ id, queue: row.queue, queues, status: "replayed" as const });
}

/** Letters claimed, sent and traced together in one step of a bulk replay. */
const REPLAY_CHUNK = 100;

/**
 * Replays every open letter matching a filter or time window (or all of them), oldest first, in
 * chunks, up to `limit` letters in one call; `remaining` says how many still match after it, so
 * a caller repeats the call until none remain. Messages are paced with per-message delays so at
 * most `perSecond` reach their queues in any second (a vendor that just recovered is not
 * flooded). Letters are claimed first; any that fail to send (to any of their queues) are
 * reopened and counted as failed.
 */
export async function replayMatching(env: Env, f: BulkReplay, actor: string, now = Date.now()) {
  const db = env.DB;
  let matched = 0;
  const sent: string[] = [];
  const failed: string[] = [];
  // Oldest first by (created_at, id), each chunk after the last one seen: a letter reopened
  // because its send failed is not picked up again in the same call.
  let after: [number, string] | null = null;
  while (matched < f.limit) {
    const found: DeadLetterRow[] = await replayableLetters(db, f, after, Math.min(REPLAY_CHUNK, f.limit - matched));
    const last: DeadLetterRow | undefined = found[found.length - 1];
    if (!last) break;
    after = [last.created_at, last.id];
    matched += found.length;
    const step = await replayChunk(env, found, sent.length, f.perSecond, actor, now);
    sent.push(...step.sent);
    failed.push(...step.failed);
  }
  const remaining = await countReplayable(db, f);
  const delays = paceDelays(sent.length, f.perSecond);
  return {
    matched,
    replayed: sent.length,
    failed: failed.length,
    /** Open letters that still match (more than this call's limit, or failed to send). */
    remaining,
    done: remaining === 0,
    perSecond: f.perSecond,
    spreadSeconds: delays.length ? (delays[delays.length - 1] ?? 0) + 1 : 0,
    ids: sent,
  };
}

/**
 * One chunk of a bulk replay: claims the letters, sends their messages to their queues with
 * delays continuing the pace from the `paced`-th message, traces what went and reopens what did
 * not.
 */
async function replayChunk(
  env: Env,
  found: DeadLetterRow[],
  paced: number,
  perSecond: number,
  actor: string,
  now: number,
): Promise<{ sent: string[]; failed: string[] }> {
  const db = env.DB;
  // Letters whose queue is unknown stay open for ops to inspect and discard.
  const results = found.filter((r) => replayQueues(r).length > 0);
  const claims = await claimForReplay(
    db,
    results.map((r) => r.id),
    `bulk replay by ${actor}`,
    now,
  );
  const claimed = results.filter((r) => claims.has(r.id));
  const delays = paceDelays(paced + claimed.length, perSecond).slice(paced);
  const byQueue = new Map<ReplayableQueue, Array<{ row: DeadLetterRow; body: unknown; delaySeconds: number; size: number }>>();
  const unreadable: string[] = [];
  for (const [i, row] of claimed.entries()) {
    const p = parsePayload(row.payload);
    if (!p.ok) {
      unreadable.push(row.id);
      continue;
    }
    const body = markReplay(p.value, row.id);
    for (const name of replayQueues(row)) {
      byQueue.set(name, [...(byQueue.get(name) ?? []), { row, body, delaySeconds: delays[i] ?? 0, size: row.payload.length + 64 }]);
    }
  }
  const failedIds = new Set<string>(unreadable);
  for (const [name, items] of byQueue) {
    for (const chunk of chunks(items)) {
      try {
        await resendBatch(env, name, chunk);
      } catch {
        for (const m of chunk) failedIds.add(m.row.id);
      }
    }
  }
  const failed = [...failedIds];
  const sent = claimed.filter((r) => !failedIds.has(r.id));
  await reopen(db, failed);
  if (sent.length) {
    await db.batch(
      sent.map((r) => {
        const p = parsePayload(r.payload);
        const deliveryId = p.ok ? deliveryOf(p.value) : undefined;
        return traceStatement(db, {
          subject: r.id,
          ...(deliveryId ? { deliveryId } : {}),
          stage: "DLQ_REPLAYED",
          detail: `${replayQueues(r).join(", ")} by ${actor} (bulk)`,
          at: now,
        });
      }),
    );
  }
  return { sent: sent.map((r) => r.id), failed };
}

function chunks<T extends { size: number }>(items: T[]): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (cur.length > 0 && (cur.length >= BATCH_MESSAGES || bytes + item.size > BATCH_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(item);
    bytes += item.size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Closes an open letter without replaying it; the reason is kept on the letter and its trace. */
export async function discardDeadLetter(
  db: D1Database,
  id: string,
  reason: string,
  actor: string,
  now = Date.now(),
): Promise<Outcome<{ id: string; status: "discarded" }>> {
  const row = await getDeadLetter(db, id);
  if (!row) return refused("not_found", `No dead letter ${id}.`);
  if (row.status !== "open") return refused("conflict", `Dead letter ${id} is ${row.status}; only open letters can be discarded.`);
  if (!(await setDeadLetterStatus(db, id, "discarded", reason, now)))
    return refused("conflict", `Dead letter ${id} was changed by someone else; reload it.`);
  const p = parsePayload(row.payload);
  const deliveryId = p.ok ? deliveryOf(p.value) : undefined;
  await traceStatement(db, {
    subject: id,
    ...(deliveryId ? { deliveryId } : {}),
    stage: "DLQ_DISCARDED",
    outcome: "skipped",
    detail: `${actor}: ${reason}`.slice(0, 500),
    at: now,
  }).run();
  return done({ id, status: "discarded" as const });
}
