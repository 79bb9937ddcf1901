/**
 * Dead letters into D1: the one way a letter is stored, whether it arrives on the dead-letter
 * queue or waited in KV while D1 was down. The consumer of the dead-letter queue and the cron's
 * drain of parked letters both come here.
 */
import { fireAlert, resolveAlert } from "../alerts";
import { log, errorDetail } from "../lib/log";
import { failRun } from "../store/backfill";
import { attemptQueues, upsertDeadLetter } from "../store/dead-letters";
import { listParked, unpark } from "../store/parked-letters";
import { replayOf } from "./dead-letter-envelope";
import { inferDeadLetterOrigin, type OriginHints } from "./dead-letter-origin";
import { BackfillMessage, DeadLetterEnvelope } from "./messages";

const MOVED = "Moved to the dead-letter queue by the platform after its retries ran out (the consumer crashed or max_retries was hit)";

/** One message of the dead-letter queue (or of its fallback, or parked outside D1). */
export interface Letter {
  id: string;
  body: unknown;
  attempts: number;
}

/**
 * A letter from a raw body the platform moved: the queue is inferred from the body, and the
 * letter says so; a body that is none of the hub's messages stays `unknown` (discard only).
 */
async function fromRawMessage(env: Env, msg: Letter, connections: OriginHints["connections"]) {
  const origin = inferDeadLetterOrigin(msg.body, { connections, attemptedOn: await attemptQueues(env.DB, msg.id) });
  const common = {
    messageId: msg.id,
    attempts: msg.attempts,
    errorCode: "retries_exhausted",
    vendor: undefined,
    subject: undefined,
    payload: msg.body,
  };
  return origin.known
    ? {
        ...common,
        queue: origin.queues[0] ?? "unknown",
        queues: origin.queues,
        error: `${MOVED}. Queue inferred from the message, ${origin.basis}: ${origin.queues.join(", ")}.`,
      }
    : {
        ...common,
        queue: "unknown",
        queues: undefined,
        error: `${MOVED}. Its queue cannot be told: ${origin.reason}. It cannot be replayed; inspect and discard it.`,
      };
}

/**
 * Stores one letter in D1 for ops to inspect, replay or discard; throws when D1 does. The
 * configured connections help tell a raw poll's queue (its connection id names its vendor anyway).
 */
export async function storeLetter(env: Env, msg: Letter, connections?: OriginHints["connections"]): Promise<void> {
  const parsed = DeadLetterEnvelope.safeParse(msg.body);
  const d = parsed.success ? { ...parsed.data, queues: undefined } : await fromRawMessage(env, msg, connections);
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
  // A backfill page out of retries has nothing left to move its run (its linker would wait for
  // the page forever): the run fails, saying why, for a resume.
  const page = BackfillMessage.safeParse(d.payload);
  if (page.success)
    await failRun(env.DB, page.data.run, `${page.data.read ?? "link"} page ${page.data.page}: ${d.errorCode}: ${d.error}`, Date.now());
}

export const PARKED_ALERT = {
  key: "dead_letters:parked",
  severity: "critical",
  title: "Dead letters kept outside D1 while it failed",
} as const;

/**
 * Moves letters parked during a D1 outage into D1 (every cron run), oldest listing first; stops
 * at the first D1 failure, as D1 is then still down. The critical alert stays up while letters
 * wait and resolves once none do.
 */
export async function drainParkedLetters(env: Env, connections?: OriginHints["connections"], limit = 1_000): Promise<number> {
  const { letters: parked, unreadable } = await listParked(env.IDEMPOTENCY, limit);
  let moved = 0;
  for (const p of parked) {
    try {
      await storeLetter(env, { id: p.messageId, body: p.body, attempts: p.attempts }, connections);
    } catch (err) {
      log("error", "dead_letter_drain_failed", {
        messageId: p.messageId,
        error: errorDetail(err),
      });
      break;
    }
    await unpark(env.IDEMPOTENCY, p.messageId);
    moved++;
  }
  if (unreadable.length > 0) {
    // Acknowledged messages the hub cannot read back: the alert stays up, naming them, while they wait.
    log("error", "parked_letter_unreadable", { keys: unreadable.join(",").slice(0, 500) });
    await fireAlert(env, {
      ...PARKED_ALERT,
      detail: `${unreadable.length} do not parse, kept in KV: ${unreadable.join(", ")}`.slice(0, 500),
    });
  } else if (moved > 0) {
    log("warn", "dead_letters_unparked", { count: moved });
    await fireAlert(env, { ...PARKED_ALERT, detail: `${moved} moved into D1 after it failed; see /ops/dead-letters` });
  } else if (parked.length === 0) {
    await resolveAlert(env, PARKED_ALERT.key, "Every dead letter is in D1 again");
  }
  return moved;
}
