import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { handleCrmDeal } from "../../src/consumers/crm-deal";
import { crmFor } from "../../src/vendors/systems";
import { closeInTms, golden, nextSecond, quiet, renameInFub } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { fub } from "../helpers/people";

// The CRM deal sync reads the golden deal, merges the CRM's deal into it and writes the result.
// The TMS closing the deal between that read and that write must survive it: the golden deal
// must not go back under contract (fields and stage column) with closed_at still set.

/** env whose D1 holds the first batch it is asked for until `release`; `reached` once it is held. */
function holdFirstWrite(): { env: Env; reached: Promise<void>; release: () => void } {
  let reach!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let holding = true;
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          if (holding) {
            holding = false;
            reach();
            await held;
          }
          return target.batch(statements);
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { env: new Proxy(env, { get: (target, key) => (key === "DB" ? db : Reflect.get(target, key, target)) }), reached, release };
}

describe("a CRM deal change and the TMS closing the deal at once", () => {
  it("a close committed between the CRM sync's read of the golden deal and its write is not overwritten", async () => {
    const d = await dealUnderContract(
      { firstName: "Guarded", lastName: "Write", email: "guarded.write@example.com", phone: "5125550172" },
      "16 Elm St, Austin, TX 78704",
      460000,
    );
    await quiet();
    const renamed = "16 Elm St, Austin, TX 78704 (price agreed)";
    await nextSecond(await renameInFub(d.fubDealId, renamed));

    // The rename's sync has read the golden deal (under contract) and is about to write; the TMS
    // closes the deal first.
    const held = holdFirstWrite();
    const config = brokerageConfig(env);
    const crmSync = handleCrmDeal(String(d.fubDealId), "guarded-write", held.env, config, crmFor(env, config));
    await held.reached;
    await closeInTms(d);
    held.release();

    const r = await crmSync;
    // It read both again and applied the rename, or gave way to be retried.
    if (!r.ok) {
      expect(r.error.code).toBe("deal_changed_concurrently");
      expect((await handleCrmDeal(String(d.fubDealId), "guarded-write", env, config, crmFor(env, config))).ok).toBe(true);
    }
    const deal = await golden(d.dealId);
    expect(deal.fields.stage).toMatchObject({ value: "closed", system: "dotloop" });
    expect(deal.stage).toBe("closed");
    expect(deal.closedAt).not.toBeNull();
    expect(deal.fields.name).toMatchObject({ value: renamed, system: "followupboss" });
    expect(deal.name).toBe(renamed);

    // The hub's own stage sync then takes the CRM deal to Closed, and the deal stays closed.
    const closed = d.stage("Closed");
    await eventually(async () => (await fub<{ stageId: number }>("GET", `/v1/deals/${d.fubDealId}`)).stageId === closed, 10_000);
    expect((await handleCrmDeal(String(d.fubDealId), "after-sync", env, config, crmFor(env, config))).ok).toBe(true);
    expect((await golden(d.dealId)).stage).toBe("closed");
  });
});
