import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { crmPersonChanged } from "../../src/consumers/person-sync";
import { sendUnsentEvents } from "../../src/cron";
import { crmFor } from "../../src/vendors/systems";
import { quiet } from "../helpers/deal-changes";
import { dealUnderContract } from "../helpers/deals";
import { eventually } from "../helpers/deliveries";
import { agentDotloop, fub } from "../helpers/people";
import { withQueuesDown } from "../helpers/queues";

const recorded = async (prefix: string) =>
  (
    await env.DB.prepare("SELECT event_id FROM outbox WHERE event_id LIKE ?1 || '%' ORDER BY event_id")
      .bind(prefix)
      .all<{ event_id: string }>()
  ).results.map((r) => r.event_id);

const digits = (phone: string | undefined) => phone?.replace(/\D/g, "").slice(-10);

describe("a contact change from the CRM while the queues refuse the change's event", () => {
  it("reaches the TMS by the next scheduled run, once the retry found the person changed already", async () => {
    const email = "olive.outbox@example.com";
    const { loop } = await dealUnderContract(
      { firstName: "Olive", lastName: "Outbox", email, phone: "5125550860" },
      "77 Outbox Ave, Austin, TX 78704",
      380000,
    );
    await quiet();
    const row = await env.DB.prepare(
      "SELECT p.id, l.external_id FROM people p JOIN links l ON l.canonical_id = p.id AND l.system = 'followupboss' WHERE p.email = ?1",
    )
      .bind(email)
      .first<{ id: string; external_id: string }>();
    if (!row) throw new Error("the lead was not linked to the CRM");
    const dotloop = await agentDotloop();
    const buyerPhone = async () => {
      const { data } = (await dotloop("GET", `/profile/${loop.profileId}/loop/${loop.id}/participant`)) as {
        data: Array<{ email?: string; phone?: string }>;
      };
      return digits(data.find((p) => p.email?.toLowerCase() === email)?.phone);
    };
    expect(await buyerPhone()).toBeUndefined(); // the loop was made with the buyer's name and email

    await fub("PUT", `/v1/people/${row.external_id}`, { phones: [{ value: "(512) 555-0861", isPrimary: true }] });
    const config = brokerageConfig(env);
    const crm = crmFor(env, config);
    const heard = new Date().toISOString();
    const queuesDown = withQueuesDown(env, "CRM", "TMS");
    await expect(crmPersonChanged(row.external_id, heard, "dlv_contact_outbox", queuesDown, config, crm)).rejects.toThrow(
      /queue unavailable/,
    );
    const [eventId, ...more] = await recorded(`${row.id}:contact:`);
    expect(eventId).toBeDefined();
    expect(more).toEqual([]);

    // The retry finds the golden person holding the new phone: it has nothing of its own to send.
    expect(await crmPersonChanged(row.external_id, heard, "dlv_contact_outbox", env, config, crm)).toEqual({
      ok: true,
      value: "unchanged",
    });
    expect(await sendUnsentEvents(env, Date.now() + 120_000)).toBeGreaterThanOrEqual(1);
    expect(await recorded(`${row.id}:contact:`)).toEqual([]);
    await eventually(async () => (await buyerPhone()) === "5125550861", 20_000);
  }, 90_000);
});
