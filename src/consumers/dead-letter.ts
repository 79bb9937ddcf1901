import { brokerageConfig } from "../config/load";
import { log } from "../lib/log";
import { attemptQueues, upsertDeadLetter } from "../store/dead-letters";
import { DeadLetterEnvelope, replayOf } from "./dead-letter-envelope";
import { inferDeadLetterOrigin, type OriginHints } from "./dead-letter-origin";

const MOVED = "Moved to the dead-letter queue by the platform after its retries ran out (the consumer crashed or max_retries was hit)";

function connections(env: Env): OriginHints["connections"] {
  try {
    return brokerageConfig(env).connections;
  } catch {
    return undefined; // an invalid configuration: a poll's connection id still names its vendor
  }
}

/**
 * A letter from a raw body the platform moved: the queue is inferred from the body, and the
 * letter says so; a body that is none of the hub's messages stays `unknown` (discard only).
 */
async function fromRawMessage(env: Env, msg: Message<unknown>) {
  const origin = inferDeadLetterOrigin(msg.body, { connections: connections(env), attemptedOn: await attemptQueues(env.DB, msg.id) });
  const common = { messageId: msg.id, attempts: msg.attempts, errorCode: "retries_exhausted", vendor: undefined, subject: undefined, payload: msg.body };
  return origin.known
    ? { ...common, queue: origin.queues[0] ?? "unknown", queues: origin.queues, error: `${MOVED}. Queue inferred from the message, ${origin.basis}: ${origin.queues.join(", ")}.` }
    : { ...common, queue: "unknown", queues: undefined, error: `${MOVED}. Its queue cannot be told: ${origin.reason}. It cannot be replayed; inspect and discard it.` };
}

/**
 * The dead-letter queue's consumer: stores every dead letter in D1 for ops to inspect, replay or
 * discard. Messages that reach it without our envelope were moved by the platform after
 * max_retries (for example when a consumer crashed outright); they are stored too, with the queue
 * their body shows they came from.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    try {
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
      msg.ack();
    } catch (err) {
      log("error", "dead_letter_store_failed", { messageId: msg.id, error: err instanceof Error ? err.message : "unknown" });
      msg.retry({ delaySeconds: 60 });
    }
  }
}
