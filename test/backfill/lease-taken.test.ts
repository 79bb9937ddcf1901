import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backfillMessage } from "../../src/backfill/run";
import { getRun } from "../../src/store/backfill";
import { driveThrough, seededBrokerage } from "./helpers";

/** Golden deals no vendor record is linked to: a deal the dashboard and the ROI count, of nothing. */
async function orphanDeals(): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM deals d WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.canonical_id = d.id)",
  ).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * `base`'s D1, where the linker's lease on the TMS page runs out while it creates its first deal:
 * right before that batch, a second copy of the page's message takes the page over and links it
 * whole (as a queue's redelivery would, once the first copy's lease has lapsed), sending on to the
 * next page through `base`'s queues.
 */
function leaseTakenMidPage(base: Env, runId: () => string): { db: D1Database; taken: () => boolean } {
  let creating = false;
  let taken = false;
  const db = new Proxy(base.DB, {
    get(target, key) {
      if (key === "prepare")
        return (sql: string) => {
          if (sql.startsWith("INSERT INTO deals")) creating = true;
          return target.prepare(sql);
        };
      if (key === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const now = creating && !taken ? await getRun(target, runId()) : null;
          creating = false;
          if (now?.phase === "tms.transactions" && now.lease_holder) {
            taken = true;
            await target.prepare("UPDATE backfill_runs SET lease_until = 0 WHERE id = ?1").bind(runId()).run();
            const r = await backfillMessage({ v: 1, kind: "backfill", run: runId(), page: now.page }, base, "second-copy");
            if (!r.ok) throw new Error(`the second copy failed: ${r.error.message}`);
          }
          return target.batch(statements);
        };
      return Reflect.get(target, key, target) as unknown;
    },
  });
  return { db, taken: () => taken };
}

describe("a linker copy whose lease ran out while it linked a page of transactions", () => {
  it("writes nothing more once another copy took the page: no deal is made twice", async () => {
    await seededBrokerage({ seed: 8, people: 12, deals: 0, transactions: 6, customers: 0 });
    let lease: ReturnType<typeof leaseTakenMidPage> | undefined;
    const { run, failure } = await driveThrough((base, runId) => {
      lease = leaseTakenMidPage(base, runId);
      return lease.db;
    });
    expect(failure).toBeNull();
    expect(run.status).toBe("done");
    expect(lease?.taken()).toBe(true);
    // Each loop has one golden deal, linked to it.
    const linked = await env.DB.prepare(
      "SELECT COUNT(DISTINCT canonical_id) AS n FROM links WHERE system = 'dotloop' AND kind = 'transaction'",
    ).first<{ n: number }>();
    expect(linked?.n).toBe(6);
    expect(await orphanDeals()).toBe(0);
  }, 120_000);
});
