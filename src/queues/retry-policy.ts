import * as z from "../lib/zod";

/**
 * The retry ladder of one vendor (or queue): the base delay before each retry, in seconds.
 * The default reaches past a day in ten attempts, as Svix and Standard Webhooks recommend.
 * Queues cap a single delay at 12 hours.
 */
export const RetryPolicy = z.object({
  ladderSeconds: z.array(z.int().check(z.gte(0), z.lte(43_200))).check(z.minLength(1)),
  /** "equal": delay in [base/2, base] (keeps the ladder's reach); "full": in [0, base]. */
  jitter: z._default(z.enum(["equal", "full"]), "equal"),
  maxDelaySeconds: z._default(z.int().check(z.gte(1), z.lte(43_200)), 43_200),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then 12 h four times: ~56 h in all, ≥ 28 h with jitter.
  ladderSeconds: [10, 60, 300, 1_800, 7_200, 21_600, 43_200, 43_200, 43_200, 43_200],
  jitter: "equal",
  maxDelaySeconds: 43_200,
};

/** A uniform number in [0, 1) from the platform CSPRNG (no Math.random in the hub). */
export function random01(): number {
  const b = new Uint32Array(1);
  crypto.getRandomValues(b);
  return (b[0] ?? 0) / 2 ** 32;
}

/** How many attempts the policy allows in all (the first try plus one per rung). */
export function maxAttempts(policy: RetryPolicy): number {
  return policy.ladderSeconds.length + 1;
}

/**
 * The delay before retry number `attempt` (1 = the first retry): the rung's backoff with jitter,
 * never shorter than what the vendor asked for, never longer than the cap.
 */
export function retryDelaySeconds(
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds: number | undefined,
  rand: () => number = random01,
): number {
  const rung = policy.ladderSeconds[Math.min(Math.max(attempt, 1), policy.ladderSeconds.length) - 1] ?? 0;
  const jittered = policy.jitter === "full" ? rung * rand() : rung / 2 + (rung / 2) * rand();
  const wanted = Math.max(Math.ceil(jittered), Math.ceil(retryAfterSeconds ?? 0));
  return Math.min(wanted, policy.maxDelaySeconds);
}

/**
 * The ladder for one failure: the failing vendor's connection's own, else the brokerage's default,
 * else the built-in one. Configured, not coded: a brokerage can slow a touchy vendor down.
 */
export function policyForFailure(
  failure: { vendor?: string } | undefined,
  config: { retry?: RetryPolicy; connections: Array<{ vendor: string; retry?: RetryPolicy | undefined }> } | null,
): RetryPolicy {
  if (!config) return DEFAULT_RETRY_POLICY;
  const own = failure?.vendor ? config.connections.find((c) => c.vendor === failure.vendor && c.retry)?.retry : undefined;
  return own ?? config.retry ?? DEFAULT_RETRY_POLICY;
}
