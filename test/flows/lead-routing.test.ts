import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { crmMessage } from "../../src/consumers/crm";
import { records, resetSandbox } from "../helpers/sandbox";
import { phone, tag } from "../ops/helpers";
import { crmLead } from "../ops/letters";
import { withBrokerage } from "../helpers/brokerage";

interface FubRecords {
  person?: Array<{ emails: Array<{ value: string }>; assignedTo: string | null }>;
}

/** The hub's environment with the hub assigning new leads: `routing` as a brokerage writes it. */
function routed(routing: Record<string, unknown>): Env {
  return withBrokerage((doc) => ({ ...doc, routing: { enabled: true, ...routing } }));
}

/** Sends a new Zillow lead (ZIP 78701 unless `zip`, $450,000) through the CRM consumer; the agent Follow Up Boss shows it assigned to. */
async function assignedAgent(appEnv: Env, zip?: string): Promise<string | null | undefined> {
  const email = `routed.${tag()}@example.com`;
  const msg = crmLead({ email, name: "Rory Routed", phone: phone() });
  const address = msg.event.type === "lead.received" ? msg.event.data.property?.address : undefined;
  if (zip && address) address.zip = zip;
  expect(await crmMessage(msg, appEnv)).toMatchObject({ ok: true });
  const r = await records<FubRecords>("followupboss");
  return r.person?.find((p) => p.emails.some((e) => e.value === email))?.assignedTo;
}

describe("the hub assigning new leads to agents in the CRM", () => {
  beforeAll(async () => {
    await resetSandbox();
  });

  it("a lead that a rule's ZIP, price band and source all match goes to that rule's agent", async () => {
    const appEnv = routed({
      rules: [
        { agent: "Morgan Reyes", zips: ["78704"] },
        { agent: "Jordan Patel", zips: ["78701"], maxPriceCents: 50_000_000, sources: ["zillow"] },
      ],
      roundRobin: ["Alex Kim"],
    });
    expect(await assignedAgent(appEnv)).toBe("Jordan Patel");
  });

  it("leads no rule takes go to the round robin's agents in turn", async () => {
    const appEnv = routed({ rules: [{ agent: "Morgan Reyes", minPriceCents: 100_000_000 }], roundRobin: ["Alex Kim", "Jordan Patel"] });
    const turns = [await assignedAgent(appEnv), await assignedAgent(appEnv), await assignedAgent(appEnv)];
    expect(new Set(turns)).toEqual(new Set(["Alex Kim", "Jordan Patel"]));
    expect(turns[1]).not.toBe(turns[0]);
    expect(turns[2]).toBe(turns[0]);
  });

  it("leads a rule takes do not use up the round robin's turns", async () => {
    const appEnv = routed({ rules: [{ agent: "Morgan Reyes", zips: ["78704"] }], roundRobin: ["Alex Kim", "Jordan Patel"] });
    const turns: Array<string | null | undefined> = [];
    for (let i = 0; i < 2; i++) {
      expect(await assignedAgent(appEnv, "78704")).toBe("Morgan Reyes");
      turns.push(await assignedAgent(appEnv));
    }
    expect(new Set(turns)).toEqual(new Set(["Alex Kim", "Jordan Patel"]));
  });

  it("with routing off, a lead is left to the CRM's own assignment", async () => {
    expect(await assignedAgent(env)).toBeNull();
  });
});
