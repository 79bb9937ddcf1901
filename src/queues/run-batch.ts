import { failureLabel } from "../lib/failures";
import type { Failure, Result } from "../lib/result";
import { fireAlert } from "../alerts";
import { log } from "../lib/log";
import { recordAttempt } from "../store/dead-letters";
import type { DeadLetterEnvelope } from "./messages";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
import { settle } from "./settle";
import { throttledCopy } from "./throttle";
import { failureOfThrown } from "./thrown";

import { queueOf, type QueueName } from "./names";

/** Handles one message body; every expected failure comes back as a value. */
export type MessageHandler = (body: unknown, meta: { id: string; attempts: number }) => Promise<Result<unknown>>;

/** Sends a fresh copy of a message body to its queue after a delay; false when the queue refused it. */
async function sendBack(env: Env, queue: QueueName, body: unknown, delaySeconds: number): Promise<boolean> {
  try {
    await queueOf(env, queue).send(body, { contentType: "json", delaySeconds });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a handler over a batch and settles each message: ack, retry with the ladder's delay, or
 * dead-letter (explicitly, with the reason and history). A message is only acked once it is
 * applied or safely in the dead-letter queue.
 */
export async function runBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  queue: QueueName,
  handle: MessageHandler,
  policyFor: (failure: Failure | undefined) => RetryPolicy = () => DEFAULT_RETRY_POLICY,
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (msg) => {
      let outcome: Result<unknown>;
      try {
        outcome = await handle(msg.body, { id: msg.id, attempts: msg.attempts });
      } catch (err) {
        outcome = { ok: false, error: failureOfThrown(err) };
      }
      const failure = outcome.ok ? undefined : outcome.error;
      if (failure?.defer) {
        // Held back by our own rate budget: nothing was tried, so no attempt is spent. A fresh
        // copy goes back on the queue after the wait, and this one is acked once that is sent.
        if (await sendBack(env, queue, msg.body, Math.min(43_200, Math.max(1, failure.retryAfterSeconds ?? 1)))) msg.ack();
        else msg.retry({ delaySeconds: Math.max(1, failure.retryAfterSeconds ?? 1) });
        return;
      }
      // The vendor said "slower", not "no": the request was refused unprocessed, so the copy
      // waits out the pause without spending a retry (up to a bound, then the ladder counts). A
      // queue that will not take the copy leaves the message to spend an attempt instead.
      const throttled = failure ? throttledCopy(msg.body, failure) : null;
      if (throttled && (await sendBack(env, queue, throttled.body, throttled.delaySeconds))) {
        msg.ack();
        log("info", "message_throttled", {
          queue,
          messageId: msg.id,
          vendor: failure?.vendor,
          throttled: throttled.count,
          delaySeconds: throttled.delaySeconds,
        });
        return;
      }
      const s = settle(outcome.ok ? { ok: true } : { ok: false, error: outcome.error }, msg.attempts, policyFor(failure));
      if (s.action === "ack" || !failure) {
        msg.ack();
        return;
      }
      const now = Date.now();
      // Operators read and filter failures by their label (a vendor's status reads `dotloop_422`).
      const code = failureLabel(failure);
      await recordAttempt(env.DB, {
        queue,
        messageId: msg.id,
        attempt: msg.attempts,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        code,
        error: failure.message,
        at: now,
      }).catch(() => undefined); // history is best effort; the message itself is never dropped
      log("warn", "message_failed", {
        queue,
        messageId: msg.id,
        attempts: msg.attempts,
        code,
        vendor: failure.vendor,
        status: failure.status,
        action: s.action,
      });
      if (s.action === "retry") {
        msg.retry({ delaySeconds: s.delaySeconds });
        return;
      }
      const envelope: DeadLetterEnvelope = {
        v: 1,
        kind: "dead_letter",
        queue,
        messageId: msg.id,
        attempts: msg.attempts,
        reason: s.reason,
        errorCode: code,
        error: failure.message,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        ...(failure.vendor ? { vendor: failure.vendor } : {}),
        ...(failure.subject ? { subject: failure.subject } : {}),
        payload: msg.body,
      };
      if (s.reason === "permanent") {
        // A permanent error will not fix itself: tell ops once per kind, not once per message.
        await fireAlert(env, {
          key: `permanent:${queue}:${code}`,
          severity: "warning",
          title: `${queue}: ${code}`,
          detail: failure.message.slice(0, 200),
        }).catch(() => undefined);
      }
      try {
        await env.DEAD_LETTER.send(envelope);
        msg.ack();
      } catch {
        msg.retry({ delaySeconds: 30 }); // the dead-letter queue is down: keep the message
      }
    }),
  );
}
