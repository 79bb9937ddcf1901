import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { enrichPerson } from "../../src/enrich";
import { httpEnrichmentProvider } from "../../src/enrich/http-provider";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { resetSandbox } from "../helpers/sandbox";

describe("on-demand enrichment", () => {
  it("fills what a lead lacks into parallel enriched fields, never over what the person supplied, and only once", async () => {
    await resetSandbox();
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: {
        contact_name: "Rae Park",
        contact_email_address: "rae@example.com",
        phone_number: "512-555-0144",
        message: "hi",
        listing: { street: "88 Elm St", city: "Austin", state: "TX", zip: "78702", mls_id: "9", price: "$300,000" },
      },
    };
    await post(await signedDelivery("zillow", lead));
    const row = await eventually(() =>
      env.DB.prepare("SELECT id, fields, enriched FROM people WHERE email = 'rae@example.com' AND enriched != '{}'").first<{
        id: string;
        fields: string;
        enriched: string;
      }>(),
    );
    const enriched = JSON.parse(row.enriched) as Record<string, { value: Record<string, unknown>; source: string; at: string }>;
    expect(enriched.enriched_property?.source).toBe("sandbox-property");
    expect(enriched.enriched_property?.value.beds).toEqual(expect.any(Number));
    expect(enriched["enriched_phone:+15125550144"]?.value).toMatchObject({ valid: false });
    // What the lead said stays as it was: the inquiry keeps no invented beds.
    const fields = JSON.parse(row.fields) as Record<string, { value: { beds?: number } }>;
    expect(fields.lastInquiry?.value.beds).toBeUndefined();
    // Nothing left to ask: a second run adds nothing.
    const again = await enrichPerson(env.DB, httpEnrichmentProvider(env.ENRICHMENT_BASE_URL), row.id);
    expect(again).toEqual({ ok: true, value: [] });
  });
});
