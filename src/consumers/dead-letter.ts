import { brokerageConfig } from "../config/load";
import { fireAlertAnyway } from "../alerts";
import { log, errorDetail } from "../lib/log";
import { parkLetter } from "../store/parked-letters";
import type { OriginHints } from "../queues/dead-letter-origin";
import { type Letter, PARKED_ALERT, storeLetter } from "../queues/dead-letter-store";

/** The configured connections, for telling a raw poll's queue. */
function connections(env: Env): OriginHints["connections"] {
  try {
    return brokerageConfig(env).connections;
  } catch {
    return undefined; // an invalid configuration: a poll's connection id still names its vendor
  }
}

/**
 * The last resort when D1 cannot take a letter: it waits in KV, which does not share D1's
 * outages, and the cron moves it into D1 once D1 answers. The platform would otherwise drop the
 * letter after the queue's retries (ten minutes), so an outage of any length loses nothing.
 */
async function park(env: Env, msg: Letter, cause: unknown): Promise<boolean> {
  try {
    await parkLetter(env.IDEMPOTENCY, { messageId: msg.id, attempts: msg.attempts, body: msg.body, parkedAt: Date.now() });
  } catch (err) {
    log("error", "dead_letter_park_failed", { messageId: msg.id, error: errorDetail(err) });
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
      await storeLetter(env, letter, connections(env));
      msg.ack();
    } catch (err) {
      log("error", "dead_letter_store_failed", { messageId: msg.id, error: errorDetail(err) });
      if (await park(env, letter, err)) msg.ack();
      else msg.retry({ delaySeconds: fallback ? 300 : 60 });
    }
  }
}
