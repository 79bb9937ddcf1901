import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { startBackfill } from "../../src/backfill/run";
import { brokerageConfig } from "../../src/config/load";
import { handleTmsChange } from "../../src/consumers/tms-status";
import { claimAction, completeStatement } from "../../src/store/applied";
import { findCanonicalId, linkStatement } from "../../src/store/links";
import { tmsFor } from "../../src/vendors/systems";
import { agentDotloop, connect, stagesOf } from "../helpers/people";
import { records, resetSandbox } from "../helpers/sandbox";
import { drive, heldQueues, seedBrokerage } from "./helpers";

interface FubPerson {
  id: number;
  firstName: string;
  lastName: string;
  emails: Array<{ value: string }>;
  phones: Array<{ value: string }>;
}

describe("a transaction opened by hand in the TMS after go-live", () => {
  let client: FubPerson;
  let dealId = "";

  beforeAll(async () => {
    await resetSandbox();
    await connect("dotloop");
    // The brokerage's CRM, imported on day one: clients with deals, no transactions yet.
    await seedBrokerage({ seed: 9, people: 6, deals: 3, transactions: 0, customers: 0 });
    const held = heldQueues();
    const started = await startBackfill(held.env, Date.now());
    if (!started.ok) throw new Error(started.message);
    const end = await drive(held.env, held.sent, started.value.id);
    expect(end.failure).toBeNull();
    expect(end.run.status).toBe("done");
    const fub = await records<{ person: FubPerson[]; deal: Array<{ id: number; peopleIds: number[] }> }>("followupboss");
    const deal = fub.deal[0];
    client = fub.person.find((p) => p.id === deal?.peopleIds[0]) as FubPerson;
    dealId = (await findCanonicalId(env.DB, "followupboss", "deal", String(deal?.id))) as string;
    expect(dealId).toBeTruthy();
  }, 60_000);

  it("is linked to the deal of the client the CRM already has, instead of being ignored", async () => {
    const dotloop = await agentDotloop();
    const phone = client.phones[0]?.value ?? "";
    const created = (await dotloop("POST", "/loop-it?profile_id=4711", {
      name: `${client.firstName} ${client.lastName} purchase`,
      transactionType: "PURCHASE_OFFER",
      status: "PRE_OFFER",
      streetNumber: "12",
      streetName: "Elm St",
      city: "Austin",
      state: "TX",
      zipCode: "78701",
      // The agent typed the client's phone, and an email the CRM does not have.
      participants: [
        {
          fullName: `${client.firstName} ${client.lastName}`,
          email: `${client.firstName.toLowerCase()}@typed-by-hand.test`,
          role: "BUYER",
        },
      ],
    })) as { data: { id: number } };
    const loopId = String(created.data.id);
    await dotloop("PATCH", `/profile/4711/loop/${loopId}/participant/${await buyerId(dotloop, loopId)}`, { phone });

    const config = brokerageConfig(env);
    const held = heldQueues();
    const r = await handleTmsChange(loopId, `hook-${loopId}`, held.env, config, tmsFor(env, config));
    expect(r.ok && r.value).not.toBe("not_linked");
    expect(await findCanonicalId(env.DB, "dotloop", "transaction", loopId)).toBe(dealId);
    expect(await stagesOf(dealId)).toContain("TRANSACTION_LINKED");
  });

  it("waits while the hub is creating the deal's own transaction, and then leaves the deal the one it made", async () => {
    const fub = await records<{ person: FubPerson[]; deal: Array<{ id: number; peopleIds: number[] }> }>("followupboss");
    const deal = fub.deal[1];
    const other = fub.person.find((p) => p.id === deal?.peopleIds[0]) as FubPerson;
    const otherDeal = (await findCanonicalId(env.DB, "followupboss", "deal", String(deal?.id))) as string;
    const dotloop = await agentDotloop();
    const created = (await dotloop("POST", "/loop-it?profile_id=4711", {
      name: `${other.firstName} ${other.lastName} purchase`,
      transactionType: "PURCHASE_OFFER",
      status: "PRE_OFFER",
      participants: [{ fullName: `${other.firstName} ${other.lastName}`, email: other.emails[0]?.value, role: "BUYER" }],
    })) as { data: { id: number } };
    const loopId = String(created.data.id);
    // The CRM deal reached the trigger stage a moment ago: the hub's creation holds its claim.
    const now = Date.now();
    expect(await claimAction(env.DB, otherDeal, "tms.create", now)).toBe("claimed");

    const config = brokerageConfig(env);
    const notice = () => handleTmsChange(loopId, `hook-${loopId}`, heldQueues().env, config, tmsFor(env, config));
    expect(await notice()).toMatchObject({ ok: false, error: { code: "in_progress", defer: true } });
    expect(await findCanonicalId(env.DB, "dotloop", "transaction", loopId)).toBeNull();

    // The creation made and linked the deal's own loop; the hand-opened one is left alone.
    await env.DB.batch([
      linkStatement(env.DB, { system: "dotloop", kind: "transaction", externalId: "990001", canonicalId: otherDeal }, now),
      completeStatement(env.DB, otherDeal, "tms.create", "990001", now),
    ]);
    expect(await notice()).toEqual({ ok: true, value: "not_linked" });
    const { results } = await env.DB.prepare("SELECT external_id FROM links WHERE canonical_id = ?1 AND kind = 'transaction'")
      .bind(otherDeal)
      .all();
    expect(results).toEqual([{ external_id: "990001" }]);
  });

  it("does not join a client's deal that fell through or closed: a repeat client's new loop stays unlinked", async () => {
    const fub = await records<{ person: FubPerson[]; deal: Array<{ id: number; peopleIds: number[] }> }>("followupboss");
    const deal = fub.deal[2];
    const repeat = fub.person.find((p) => p.id === deal?.peopleIds[0]) as FubPerson;
    const oldDeal = (await findCanonicalId(env.DB, "followupboss", "deal", String(deal?.id))) as string;
    const dotloop = await agentDotloop();
    const config = brokerageConfig(env);
    for (const ended of ["cancelled", "closed"]) {
      // The CRM says the client's only deal ended (synced to the golden deal as any stage change is).
      await env.DB.prepare("UPDATE deals SET stage = ?2 WHERE id = ?1").bind(oldDeal, ended).run();
      const created = (await dotloop("POST", "/loop-it?profile_id=4711", {
        name: `${repeat.firstName} ${repeat.lastName} next purchase`,
        transactionType: "PURCHASE_OFFER",
        status: "PRE_OFFER",
        participants: [{ fullName: `${repeat.firstName} ${repeat.lastName}`, email: repeat.emails[0]?.value, role: "BUYER" }],
      })) as { data: { id: number } };
      const loopId = String(created.data.id);
      const r = await handleTmsChange(loopId, `hook-${loopId}`, heldQueues().env, config, tmsFor(env, config));
      expect(r).toEqual({ ok: true, value: "not_linked" });
      expect(await findCanonicalId(env.DB, "dotloop", "transaction", loopId)).toBeNull();
    }
  });

  it("a loop for someone the hub does not know stays unlinked", async () => {
    const dotloop = await agentDotloop();
    const created = (await dotloop("POST", "/loop-it?profile_id=4711", {
      name: "Stranger purchase",
      transactionType: "PURCHASE_OFFER",
      status: "PRE_OFFER",
      participants: [{ fullName: "Nobody Known", email: "nobody.known@nowhere.test", role: "BUYER" }],
    })) as { data: { id: number } };
    const config = brokerageConfig(env);
    const r = await handleTmsChange(String(created.data.id), "hook-stranger", heldQueues().env, config, tmsFor(env, config));
    expect(r).toEqual({ ok: true, value: "not_linked" });
  });
});

async function buyerId(dotloop: Awaited<ReturnType<typeof agentDotloop>>, loopId: string): Promise<string> {
  const list = (await dotloop("GET", `/profile/4711/loop/${loopId}/participant`)) as { data: Array<{ id: number; role: string }> };
  return String(list.data.find((p) => p.role === "BUYER")?.id);
}
