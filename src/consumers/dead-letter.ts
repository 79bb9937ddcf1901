import { brokerageConfig } from "../config/load";
import { fireAlert, fireAlertAnyway, resolveAlert } from "../alerts";
import { log } from "../lib/log";
import { attemptQueues, upsertDeadLetter } from "../store/dead-letters";
import { listParked, parkLetter, unpark } from "../store/parked-letters";
import { replayOf } from "../queues/dead-letter-envelope";
import { inferDeadLetterOrigin, type OriginHints } from "../queues/dead-letter-origin";
import { DeadLetterEnvelope } from "../queues/messages";

const MOVED = "Moved to the dead-letter queue by the platform after its retries ran out (the consumer crashed or max_retries was hit)";

function connections(env: Env): OriginHints["connections"] {
  try {
    return brokerageConfig(env).connections;
  } catch {
    return undefined; // an invalid configuration: a poll's connection id still names its vendor
  }
}

/** One message of the dead-letter queue (or of its fallback, or parked outside D1). */
interface Letter {
  id: string;
  body: unknown;
  attempts: number;
}

/**
 * A letter from a raw body the platform moved: the queue is inferred from the body, and the
 * letter says so; a body that is none of the hub's messages stays `unknown` (discard only).
 */
async function fromRawMessage(env: Env, msg: Letter) {
  const origin = inferDeadLetterOrigin(msg.body, { connections: connections(env), attemptedOn: await attemptQueues(env.DB, msg.id) });
  const common = { messageId: msg.id, attempts: msg.attempts, errorCode: "retries_exhausted", vendor: undefined, subject: undefined, payload: msg.body };
  return origin.known
    ? { ...common, queue: origin.queues[0] ?? "unknown", queues: origin.queues, error: `${MOVED}. Queue inferred from the message, ${origin.basis}: ${origin.queues.join(", ")}.` }
    : { ...common, queue: "unknown", queues: undefined, error: `${MOVED}. Its queue cannot be told: ${origin.reason}. It cannot be replayed; inspect and discard it.` };
}

/** Stores one letter in D1 for ops to inspect, replay or discard; throws when D1 does. */
async function storeLetter(env: Env, msg: Letter): Promise<void> {
  const parsed = DeadLetterEnvelope.safeParse(msg.body);
  const d = parsed.success ? { ...parsed.data, queues: undefined } : await fromRawMessage(env, msg);
  const from = replayOf(d.payload);
  await upsertDeadLetter(env.DB, {
    id: crypto.randomUUID(),
    queue: d.queue,
    messageId: d.messageId,
    ...(d.vendor ? { vendor: d.vendor } : {}),
    ...(d.subject ? { subject: d.subject } : {}),
    ...(d.queues ? { queues: d.queues } : {}),
    ...(from ? { replayOf: from } : {}),
    errorCode: d.errorCode,
    error: d.error,
    attempts: d.attempts,
    payload: JSON.stringify(d.payload ?? null),
    now: Date.now(),
  });
  log("error", "dead_lettered", { queue: d.queue, messageId: d.messageId, code: d.errorCode, vendor: d.vendor, replayOf: from });
}

const PARKED_ALERT = { key: "dead_letters:parked", severity: "critical", title: "Dead letters kept outside D1 while it failed" } as const;

/**
 * The last resort when D1 cannot take a letter: it waits in KV, which does not share D1's
 * outages, and the cron moves it into D1 once D1 answers. The platform would otherwise drop the
 * letter after the queue's retries (ten minutes), so an outage of any length loses nothing.
 */
async function park(env: Env, msg: Letter, cause: unknown): Promise<boolean> {
  try {
    await parkLetter(env.IDEMPOTENCY, { messageId: msg.id, attempts: msg.attempts, body: msg.body, parkedAt: Date.now() });
  } catch (err) {
    log("error", "dead_letter_park_failed", { messageId: msg.id, error: err instanceof Error ? err.message.slice(0, 200) : "unknown" });
    return false;
  }
  const detail = `message ${msg.id}: ${cause instanceof Error ? cause.message.slice(0, 150) : "D1 failed"}; it is moved into D1 once D1 answers`;
  await fireAlertAnyway(env, { ...PARKED_ALERT, detail });
  return true;
}

/**
 * The dead-letter queue's consumer (and its fallback queue's): stores every dead letter in D1
 * for ops to inspect, replay or discard. Messages that reach it without our envelope were moved
 * by the platform after max_retries (for example when a consumer crashed outright); they are
 * stored too, with the queue their body shows they came from. When D1 fails the letter is parked
 * outside it; only when that fails too does the message go back to the queue.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const fallback = batch.queue.endsWith("-fallback");
  for (const msg of batch.messages) {
    const letter = { id: msg.id, body: msg.body, attempts: msg.attempts };
    try {
      await storeLetter(env, letter);
      msg.ack();
    } catch (err) {
      log("error", "dead_letter_store_failed", { messageId: msg.id, error: err instanceof Error ? err.message : "unknown" });
      if (await park(env, letter, err)) msg.ack();
      else msg.retry({ delaySeconds: fallback ? 300 : 60 });
    }
  }
}

/**
 * Moves letters parked during a D1 outage into D1 (every cron run), oldest listing first; stops
 * at the first D1 failure, as D1 is then still down. The critical alert stays up while letters
 * wait and resolves once none do.
 */
export async function drainParkedLetters(env: Env, limit = 1_000): Promise<number> {
  const parked = await listParked(env.IDEMPOTENCY, limit);
  let moved = 0;
  for (const p of parked) {
    try {
      await storeLetter(env, { id: p.messageId, body: p.body, attempts: p.attempts });
    } catch (err) {
      log("error", "dead_letter_drain_failed", { messageId: p.messageId, error: err instanceof Error ? err.message.slice(0, 200) : "unknown" });
      break;
    }
    await unpark(env.IDEMPOTENCY, p.messageId);
    moved++;
  }
  if (moved > 0) {
    log("warn", "dead_letters_unparked", { count: moved });
    await fireAlert(env, { ...PARKED_ALERT, detail: `${moved} moved into D1 after it failed; see /ops/dead-letters` });
  } else if (parked.length === 0) {
    await resolveAlert(env, PARKED_ALERT.key, "Every dead letter is in D1 again");
  }
  return moved;
}
