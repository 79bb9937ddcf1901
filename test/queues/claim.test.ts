import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load";
import { completionWait, once, RECORD_FOR_MS } from "../../src/queues/once";
import { ok, permanent } from "../../src/lib/result";
import { CLAIM_RENEW_MS, CLAIM_TTL_MS, claimAction, renewClaim } from "../../src/store/applied";
import { traceStatement } from "../../src/store/traces";
import { MAX_PERMIT_WAIT_MS, MAX_VENDOR_CALL_MS, MAX_VENDOR_TIMEOUT_MS } from "../../src/lib/call-bounds";
import defaults from "../../config/brokerage.json";

const claimedAt = (eventId: string, action: string) =>
  env.DB.prepare(`SELECT at FROM applied_actions WHERE event_id = ?1 AND action = ?2`)
    .bind(eventId, action)
    .first<{ at: number }>()
    .then((r) => r?.at);

describe("a claim is a lease its holder renews, so a dead worker's claim lapses within a minute", () => {
  it("a claim its holder keeps renewing stays busy through the slowest call a connection may make", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const t0 = Date.now();
    expect(await claimAction(env.DB, eventId, "crm.lead", t0)).toBe("claimed");
    // The holder waits out the longest permit, then a request that only aborts at the longest
    // timeout, renewing as it waits; a second copy arriving at any moment of it finds it busy.
    let heldAt = t0;
    for (let t = t0 + CLAIM_RENEW_MS; t <= t0 + MAX_PERMIT_WAIT_MS + MAX_VENDOR_TIMEOUT_MS; t += CLAIM_RENEW_MS) {
      expect(await claimAction(env.DB, eventId, "crm.lead", t)).toBe("busy");
      heldAt = (await renewClaim(env.DB, eventId, "crm.lead", heldAt, t)) ?? -1;
      expect(heldAt).toBe(t);
    }
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + MAX_VENDOR_CALL_MS + CLAIM_RENEW_MS)).toBe("busy");
  });

  it("a claim whose holder stopped renewing (its worker died) is taken over after the lease, not after the slowest call", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const t0 = Date.now();
    expect(await claimAction(env.DB, eventId, "crm.lead", t0)).toBe("claimed");
    // Missing a few renewals (a moment of D1 trouble) does not lose the claim.
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + 3 * CLAIM_RENEW_MS)).toBe("busy");
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + CLAIM_TTL_MS - 1)).toBe("busy");
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + CLAIM_TTL_MS)).toBe("claimed");
    expect(CLAIM_TTL_MS).toBeLessThanOrEqual(60_000);
    expect(CLAIM_TTL_MS).toBeLessThan(MAX_VENDOR_CALL_MS);
    // The old holder, back from the dead, finds the claim is no longer its own.
    expect(await renewClaim(env.DB, eventId, "crm.lead", t0, t0 + CLAIM_TTL_MS + 1)).toBeNull();
  });

  it("a holder whose claim was taken over gives back nothing when it then fails: the new holder keeps it", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    let takenAt = 0;
    const r = await once(env.DB, eventId, "crm.lead", async () => {
      // This worker stalled past its lease; another took the claim over and is at work.
      takenAt = Date.now() + CLAIM_TTL_MS;
      expect(await claimAction(env.DB, eventId, "crm.lead", takenAt)).toBe("claimed");
      return permanent("event_incomplete", "the lead has no contact");
    });
    expect(r.ok).toBe(false);
    // A third copy must still find the claim held, not free to act beside the new holder.
    expect(await claimAction(env.DB, eventId, "crm.lead", takenAt + 1)).toBe("busy");
  });

  it("a claim given back between a copy's insert and its read is busy to that copy, not done", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    expect(await claimAction(env.DB, eventId, "crm.lead", Date.now())).toBe("claimed");
    // The holder fails and gives the claim back just as the copy reads it.
    const released = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare")
          return (sql: string) => {
            if (!sql.startsWith("SELECT result, at FROM applied_actions")) return target.prepare(sql);
            return {
              bind: (...args: unknown[]) => ({
                first: async () => {
                  await target.prepare("DELETE FROM applied_actions WHERE event_id = ?1").bind(eventId).run();
                  return target
                    .prepare(sql)
                    .bind(...args)
                    .first();
                },
              }),
            };
          };
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect(await claimAction(released, eventId, "crm.lead", Date.now())).toBe("busy");
  });

  it("a copy that finds the claim busy waits for it without running the effect or spending a retry", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    expect(await claimAction(env.DB, eventId, "crm.lead", Date.now())).toBe("claimed");
    let ran = false;
    const r = await once(env.DB, eventId, "crm.lead", async () => {
      ran = true;
      return ok({ result: "x", writes: [] });
    });
    expect(ran).toBe(false);
    expect(r).toMatchObject({ ok: false, error: { code: "in_progress", retryable: true, defer: true } });
  });

  it("a connection's timeout and permit wait cannot be configured past the bounds a call is held to", () => {
    const conn = defaults.connections[0];
    const parse = (over: Record<string, number>) =>
      parseConfig(
        { ...defaults, connections: [{ ...conn, ...over }, ...defaults.connections.slice(1)] },
        env as unknown as Record<string, unknown>,
      );
    expect(parse({ timeoutMs: MAX_VENDOR_TIMEOUT_MS })).toMatchObject({ ok: true });
    expect(parse({ timeoutMs: MAX_VENDOR_TIMEOUT_MS + 1 })).toMatchObject({
      ok: false,
      errors: [expect.objectContaining({ path: "connections.0.timeoutMs" })],
    });
    expect(parse({ maxWaitMs: MAX_PERMIT_WAIT_MS + 1 })).toMatchObject({
      ok: false,
      errors: [expect.objectContaining({ path: "connections.0.maxWaitMs" })],
    });
  });

  it("an action of several slow calls keeps its claim alive while it works", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    let first: number | undefined;
    let during: number | undefined;
    const r = await once(
      env.DB,
      eventId,
      "tms.create",
      async () => {
        first = await claimedAt(eventId, "tms.create");
        await new Promise((resolve) => setTimeout(resolve, 400));
        during = await claimedAt(eventId, "tms.create");
        return ok({ result: "made", writes: [] });
      },
      { renewEveryMs: 100 },
    );
    expect(r).toEqual({ ok: true, value: "made" });
    expect(first).toBeDefined();
    expect(during).toBeGreaterThan(first ?? Infinity);
  });
});

/** The hub's D1, except that giving a claim back fails as D1 does when its connection is lost. */
const releaseRefused = new Proxy(env.DB, {
  get(target, prop) {
    if (prop === "prepare")
      return (sql: string) =>
        sql.startsWith("DELETE FROM applied_actions")
          ? { bind: () => ({ run: () => Promise.reject(new Error("D1_ERROR: Network connection lost.")) }) }
          : target.prepare(sql);
    const value: unknown = Reflect.get(target, prop);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

describe("an action that fails while D1 refuses to give its claim back", () => {
  it("is reported with its own error, and its claim lapses for a retry after the lease", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const t0 = Date.now();
    await expect(
      once(releaseRefused, eventId, "crm.lead", async () => {
        throw new Error("the CRM answered 503");
      }),
    ).rejects.toThrow("the CRM answered 503");
    expect(await claimAction(env.DB, eventId, "crm.lead", Date.now())).toBe("busy");
    expect(await claimAction(env.DB, eventId, "crm.lead", t0 + CLAIM_TTL_MS + 1_000)).toBe("claimed");
  });

  it("returns the action's own failure, which decides between a retry and a dead letter", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const r = await once(releaseRefused, eventId, "crm.lead", async () => permanent("event_incomplete", "the lead has no contact"));
    expect(r).toMatchObject({ ok: false, error: { code: "event_incomplete", retryable: false } });
  });
});

/**
 * The hub's D1, except that its first `batch` fails as D1 does when its connection is lost:
 * before running (`committed: false`) or after committing, with the answer lost (`true`).
 */
function firstBatchLost(committed: boolean): D1Database {
  let failed = false;
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch")
        return async (stmts: D1PreparedStatement[]) => {
          if (failed) return target.batch(stmts);
          failed = true;
          if (committed) await target.batch(stmts);
          throw new Error("D1_ERROR: Network connection lost.");
        };
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const tracesOf = (subject: string) =>
  env.DB.prepare(`SELECT COUNT(*) AS n FROM traces WHERE subject = ?1`).bind(subject).first<number>("n");

describe("an action whose completion D1 fails to record for a moment", () => {
  it("is recorded on a later try, so a copy of the event finds it applied and does not act again", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    let calls = 0;
    const act = async () => {
      calls++;
      return ok({ result: "noted", writes: [] });
    };
    expect(await once(firstBatchLost(false), eventId, "crm.note", act)).toEqual({ ok: true, value: "noted" });
    expect(await once(env.DB, eventId, "crm.note", act)).toEqual({ ok: true, value: "already_applied" });
    expect(calls).toBe(1);
  });

  it("whose first record committed with its answer lost writes its records once", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const subject = `person:${crypto.randomUUID()}`;
    const r = await once(firstBatchLost(true), eventId, "crm.note", async () =>
      ok({ result: "noted", writes: [traceStatement(env.DB, { subject, stage: "CRM_NOTE", at: Date.now() })] }),
    );
    expect(r).toEqual({ ok: true, value: "noted" });
    expect(await tracesOf(subject)).toBe(1);
  });
});

/**
 * The hub's D1, failing every call as an unreachable D1 does for `outageMs` from the first
 * `batch` on: the completion's writes and the reads between them alike. With `statements: false`
 * only batches fail, and single statements (a claim's renewal) pass.
 */
function outageFromFirstBatch(outageMs: number, { statements = true } = {}): D1Database {
  let downUntil: number | undefined;
  const down = () => downUntil !== undefined && Date.now() < downUntil;
  const lost = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch")
        return async (stmts: D1PreparedStatement[]) => {
          downUntil ??= Date.now() + outageMs;
          return down() ? lost() : target.batch(stmts);
        };
      if (prop === "prepare" && statements)
        return (sql: string) => (down() ? { bind: () => ({ first: lost, run: lost, all: lost }) } : target.prepare(sql));
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("an action whose completion D1 cannot record for seconds", () => {
  it("is recorded once D1 answers again, so a copy of the event finds it applied and does not act again", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const subject = `person:${crypto.randomUUID()}`;
    let calls = 0;
    const act = async () => {
      calls++;
      return ok({ result: "noted", writes: [traceStatement(env.DB, { subject, stage: "CRM_NOTE", at: Date.now() })] });
    };
    expect(await once(outageFromFirstBatch(2_000), eventId, "crm.note", act)).toEqual({ ok: true, value: "noted" });
    expect(await once(env.DB, eventId, "crm.note", act)).toEqual({ ok: true, value: "already_applied" });
    expect(calls).toBe(1);
    expect(await tracesOf(subject)).toBe(1);
  });

  it("keeps its claim renewed while it tries, so a copy of the event waits rather than acting", async () => {
    const eventId = `evt-${crypto.randomUUID()}`;
    const t0 = Date.now();
    let calls = 0;
    const act = async () => {
      calls++;
      return ok({ result: "noted", writes: [] });
    };
    const applying = once(outageFromFirstBatch(1_500, { statements: false }), eventId, "crm.note", act, { renewEveryMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Mid-outage the claim has moved with its renewals: a copy at the old lease's end finds it held.
    expect(await claimedAt(eventId, "crm.note")).toBeGreaterThan(t0 + 500);
    expect(await claimAction(env.DB, eventId, "crm.note", t0 + CLAIM_TTL_MS)).toBe("busy");
    expect(await applying).toEqual({ ok: true, value: "noted" });
    expect(await once(env.DB, eventId, "crm.note", act)).toEqual({ ok: true, value: "already_applied" });
    expect(calls).toBe(1);
  });

  it("keeps trying for minutes, past the lease a claim lives, waiting longer each time up to 4 s", () => {
    const now = 1_000_000;
    const deadline = now + RECORD_FOR_MS;
    const waits: number[] = [];
    let t = now;
    for (let attempt = 1; ; attempt++) {
      const wait = completionWait(attempt, t, deadline, 0.5);
      if (wait === null) break;
      waits.push(wait);
      t += wait;
    }
    expect(waits.slice(0, 4)).toEqual([250, 500, 1_000, 2_000]);
    expect(Math.max(...waits)).toBe(4_000);
    // An outage of two minutes is ridden out, well past the 45 s lease; no try starts after the deadline.
    expect(t - now).toBeGreaterThan(Math.max(120_000, 2 * CLAIM_TTL_MS));
    expect(t).toBeLessThan(deadline);
    expect(completionWait(1, deadline - 100, deadline, 0.5)).toBeNull();
  });
});
