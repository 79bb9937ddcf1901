import type { Failure } from "../lib/result";
import { maxAttempts, retryDelaySeconds, type RetryPolicy } from "./retry-policy";

export type Settlement =
  | { action: "ack" }
  | { action: "retry"; delaySeconds: number }
  | { action: "dead_letter"; reason: "permanent" | "exhausted" };

/**
 * Maps one message's outcome to what the queue should do with it — mechanically, so no consumer
 * can swallow a transient failure: success acks, permanent failures dead-letter at once,
 * transient ones retry on the ladder until it runs out, then dead-letter.
 */
export function settle(
  outcome: { ok: true } | { ok: false; error: Failure },
  attempts: number,
  policy: RetryPolicy,
  rand?: () => number,
): Settlement {
  if (outcome.ok) return { action: "ack" };
  if (!outcome.error.retryable) return { action: "dead_letter", reason: "permanent" };
  if (attempts >= maxAttempts(policy)) return { action: "dead_letter", reason: "exhausted" };
  return { action: "retry", delaySeconds: retryDelaySeconds(policy, attempts, outcome.error.retryAfterSeconds, rand) };
}
