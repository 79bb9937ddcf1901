import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, maxAttempts, retryDelaySeconds } from "../../src/queues/retry-policy";
import { settle } from "../../src/queues/settle";

const transient = { ok: false as const, error: { code: "vendor_http" as const, status: 503, message: "down", retryable: true } };
const permanent = { ok: false as const, error: { code: "vendor_http" as const, status: 422, message: "bad", retryable: false } };

describe("settle", () => {
  it("acks success, dead-letters permanent failures at once, retries transient ones", () => {
    expect(settle({ ok: true }, 1, DEFAULT_RETRY_POLICY)).toEqual({ action: "ack" });
    expect(settle(permanent, 1, DEFAULT_RETRY_POLICY)).toEqual({ action: "dead_letter", reason: "permanent" });
    expect(settle(transient, 1, DEFAULT_RETRY_POLICY).action).toBe("retry");
  });

  it("dead-letters a transient failure once the ladder is exhausted", () => {
    const last = maxAttempts(DEFAULT_RETRY_POLICY);
    expect(settle(transient, last - 1, DEFAULT_RETRY_POLICY).action).toBe("retry");
    expect(settle(transient, last, DEFAULT_RETRY_POLICY)).toEqual({ action: "dead_letter", reason: "exhausted" });
  });

  it("never retries sooner than Retry-After, and never past the 12 h cap", () => {
    const s = settle({ ok: false, error: { ...transient.error, retryAfterSeconds: 90 } }, 1, DEFAULT_RETRY_POLICY, () => 0);
    expect(s).toEqual({ action: "retry", delaySeconds: 90 });
    expect(retryDelaySeconds(DEFAULT_RETRY_POLICY, 9, 999_999, () => 1)).toBe(43_200);
  });
});

describe("the default ladder", () => {
  it("has at least 8 attempts and reaches past a day even with the smallest jitter", () => {
    expect(maxAttempts(DEFAULT_RETRY_POLICY)).toBeGreaterThanOrEqual(8);
    let total = 0;
    for (let a = 1; a < maxAttempts(DEFAULT_RETRY_POLICY); a++) total += retryDelaySeconds(DEFAULT_RETRY_POLICY, a, undefined, () => 0);
    expect(total).toBeGreaterThanOrEqual(86_400);
  });

  it("backs off: each rung waits at least as long as the one before", () => {
    const d = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => retryDelaySeconds(DEFAULT_RETRY_POLICY, a, undefined, () => 0.5));
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThanOrEqual(d[i - 1] ?? 0);
  });
});

describe("the retry ladder is configuration", () => {
  it("uses the failing vendor's connection ladder, else the brokerage default, else the built-in", async () => {
    const { policyForFailure } = await import("../../src/queues/retry-policy");
    const fast = { ladderSeconds: [1, 2], jitter: "full" as const, maxDelaySeconds: 60 };
    const slow = { ladderSeconds: [600], jitter: "equal" as const, maxDelaySeconds: 43_200 };
    const config = { retry: slow, connections: [{ vendor: "dotloop", retry: fast }, { vendor: "followupboss" }] };
    expect(policyForFailure({ vendor: "dotloop" }, config)).toBe(fast);
    expect(policyForFailure({ vendor: "followupboss" }, config)).toBe(slow);
    expect(policyForFailure({}, { connections: [] })).toBe(DEFAULT_RETRY_POLICY);
    expect(policyForFailure({ vendor: "dotloop" }, null)).toBe(DEFAULT_RETRY_POLICY);
  });
});
