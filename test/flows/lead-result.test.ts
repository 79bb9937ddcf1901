import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { crmMessage } from "../../src/consumers/crm";
import { crmLead } from "../ops/letters";
import { phone, tag } from "../ops/helpers";

/** `env` with on-demand enrichment switched off. */
const withoutEnrichment = new Proxy(env, { get: (target, key) => (key === "ENRICHMENT_BASE_URL" ? "" : Reflect.get(target, key, target)) });

const enriched = (personId: string) =>
  env.DB.prepare(`SELECT enriched FROM people WHERE id = ?1`)
    .bind(personId)
    .first<{ enriched: string }>()
    .then((r) => r?.enriched);
const storedResult = (eventId: string) =>
  env.DB.prepare(`SELECT result FROM applied_actions WHERE event_id = ?1 AND action = 'crm.lead'`)
    .bind(eventId)
    .first<{ result: string | null }>()
    .then((r) => r?.result ?? null);

describe("what the lead action records", () => {
  it("is the stage, the golden person and the CRM id, as typed fields a later copy of the lead reads back: it enriches the person the first run recorded", async () => {
    const msg = crmLead({ email: `typed.${tag()}@example.com`, name: "Tia Typed", phone: phone() });
    // The first run delivers the lead and records the person, but enriches nothing.
    expect(await crmMessage(msg, withoutEnrichment)).toMatchObject({ ok: true });
    const result = JSON.parse((await storedResult(msg.event.id)) ?? "null") as { stage: string; personId: string; crmId: string | null };
    expect(result).toEqual({ stage: "CRM_CREATED", personId: expect.stringMatching(/^per_/), crmId: expect.any(String) });
    expect(await enriched(result.personId)).toBe("{}");

    // A copy of the lead changes nothing in the CRM, and enriches the person read from that record.
    expect(await crmMessage(msg, env)).toEqual({ ok: true, value: "already_applied" });
    expect(JSON.parse((await enriched(result.personId)) ?? "{}")).toHaveProperty("enriched_property");
  });

  it("that does not parse is refused loudly (applied_result_corrupt, no retry), never read as some default", async () => {
    const msg = crmLead({ email: `corrupt.${tag()}@example.com`, name: "Cory Rupt", phone: phone() });
    expect(await crmMessage(msg, withoutEnrichment)).toMatchObject({ ok: true });
    await env.DB.prepare(`UPDATE applied_actions SET result = 'CRM_CREATED|per_x|' WHERE event_id = ?1 AND action = 'crm.lead'`)
      .bind(msg.event.id)
      .run();

    expect(await crmMessage(msg, env)).toMatchObject({ ok: false, error: { code: "applied_result_corrupt", retryable: false } });
    // Left as stored for an operator to see.
    expect(await storedResult(msg.event.id)).toBe("CRM_CREATED|per_x|");
  });
});
