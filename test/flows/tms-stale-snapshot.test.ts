import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { tmsMessage } from "../../src/consumers/tms";
import { handleTmsChange } from "../../src/consumers/tms-status";
import type { TmsAdapter } from "../../src/vendors/tms";
import { tmsFor } from "../../src/vendors/systems";
import { loopNotice, quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { agentDotloop, fub } from "../helpers/people";
import { deliverOutbox, SANDBOX } from "../helpers/sandbox";

// Two changes of one loop, made by the agent within one second (details, then "sold"),
// processed at once. If the processing that fetched the loop before it was sold commits last,
// stamped the same second, its older snapshot must not win: it would move the golden deal back
// under contract and tell the CRM so, and the CRM deal would never go back to Closed.

describe("two changes of one loop processed at once", () => {
  let dealId = "";
  let fubDealId = 0;
  let loop = { id: 0, profileId: 0 };
  let closedStage: number | undefined;

  beforeAll(async () => {
    const d = await dealUnderContract(
      { firstName: "Stale", lastName: "Snapshot", email: "stale.snapshot@example.com", phone: "5125550166" },
      "9 Birch Rd, Austin, TX 78703",
      500000,
    );
    ({ dealId, fubDealId, loop } = d);
    closedStage = d.stage("Closed");
    // The setup's own webhooks are still being processed in the background; the test's direct
    // calls must not race them (on a loaded machine they did, and lost a compare-and-set).
    await quiet();
  });

  it("a loop change notice reads the loop from Dotloop once, for the status and the buyer's contact alike", async () => {
    const counters = async () => (await (await fetch(`${SANDBOX}/_sandbox/dotloop/counters`)).json<{ requests: number }>()).requests;
    await tmsMessage(notice(), env); // the connection's profile, once per isolate
    const before = await counters();
    const r = await tmsMessage(notice(), env);
    expect(r.ok).toBe(true);
    // The loop, its details, its participants: three calls (six when each sync fetched its own).
    expect((await counters()) - before).toBe(3);
  });

  const notice = () => loopNotice(loop.id);

  it("the snapshot fetched before the loop was sold does not move the deal, or the CRM, back", async () => {
    const config = brokerageConfig(env);
    const tms = tmsFor(env, config);
    const dotloop = await agentDotloop();
    // Both of the agent's changes land in one second of the vendor's clock.
    while (Date.now() % 1000 > 200) await new Promise((r) => setTimeout(r, 20));
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}/detail`, {
      Financials: { "Sale Commission Total": "15,000" },
      "Contract Dates": { "Closing Date": "12/15/2026" },
    });

    // The first change's processing fetches the loop (details set, not yet sold) and is slow.
    let fetched!: () => void;
    const wasFetched = new Promise<void>((r) => (fetched = r));
    let resume!: () => void;
    const slowDown = new Promise<void>((r) => (resume = r));
    const slow = new Proxy(tms, {
      get(target, key, receiver) {
        if (key !== "getTransaction") return Reflect.get(target, key, receiver) as unknown;
        return async (id: string) => {
          const r = await target.getTransaction(id);
          fetched();
          await slowDown;
          return r;
        };
      },
    }) satisfies TmsAdapter;
    const first = handleTmsChange(String(loop.id), "stale-first", env, config, slow);
    await wasFetched;

    // The agent marks the loop sold; that change's processing runs to the end.
    await dotloop("PATCH", `/profile/${loop.profileId}/loop/${loop.id}`, { status: "SOLD" });
    const second = await handleTmsChange(String(loop.id), "stale-second", env, config, tms);
    expect(second).toEqual({ ok: true, value: "closed" });

    // Then the slow one commits its older snapshot; a retry of it finds nothing left to do.
    resume();
    const late = await first;
    if (!late.ok) {
      expect(late.error.code).toBe("deal_changed_concurrently");
      expect(await handleTmsChange(String(loop.id), "stale-first", env, config, tms)).toEqual({ ok: true, value: "unchanged" });
    }
    const golden = await env.DB.prepare("SELECT stage, closed_at FROM deals WHERE id = ?1")
      .bind(dealId)
      .first<{ stage: string; closed_at: number | null }>();
    expect(golden?.stage).toBe("closed");
    expect(golden?.closed_at).not.toBeNull();

    // The CRM deal ends Closed, and stays there.
    await eventually(async () => (await fub<{ stageId: number }>("GET", `/v1/deals/${fubDealId}`)).stageId === closedStage, 10_000);
    await deliverOutbox({ times: 2 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await fub<{ stageId: number }>("GET", `/v1/deals/${fubDealId}`)).stageId).toBe(closedStage);
    expect((await env.DB.prepare("SELECT stage FROM deals WHERE id = ?1").bind(dealId).first<{ stage: string }>())?.stage).toBe("closed");
  });
});
