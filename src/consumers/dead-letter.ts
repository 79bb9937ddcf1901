import { log } from "../lib/log";
import { upsertDeadLetter } from "../store/dead-letters";
import { DeadLetterEnvelope } from "./dead-letter-envelope";

/**
 * The dead-letter queue's consumer: stores every dead letter in D1 for ops to inspect, replay or
 * discard. Messages that reach it without our envelope were moved by the platform after
 * max_retries (for example when a consumer crashed outright); they are stored too.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = DeadLetterEnvelope.safeParse(msg.body);
    const d = parsed.success
      ? parsed.data
      : {
          queue: "unknown",
          messageId: msg.id,
          attempts: msg.attempts,
          errorCode: "retries_exhausted",
          error: "Moved to the dead-letter queue by the platform after its retries ran out.",
          vendor: undefined,
          subject: undefined,
          payload: msg.body,
        };
    try {
      await upsertDeadLetter(env.DB, {
        id: crypto.randomUUID(),
        queue: d.queue,
        messageId: d.messageId,
        ...(d.vendor ? { vendor: d.vendor } : {}),
        ...(d.subject ? { subject: d.subject } : {}),
        errorCode: d.errorCode,
        error: d.error,
        attempts: d.attempts,
        payload: JSON.stringify(d.payload ?? null),
        now: Date.now(),
      });
      log("error", "dead_lettered", { queue: d.queue, messageId: d.messageId, code: d.errorCode, vendor: d.vendor });
      msg.ack();
    } catch (err) {
      log("error", "dead_letter_store_failed", { messageId: msg.id, error: err instanceof Error ? err.message : "unknown" });
      msg.retry({ delaySeconds: 60 });
    }
  }
}
