import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { resetSandbox, setSettings } from "../helpers/sandbox";

describe("a lead Follow Up Boss ignores because its source's lead flow is archived", () => {
  afterAll(async () => {
    await setSettings("followupboss", { archivedSources: [] });
  });

  it("is kept in the hub, traced as ignored, and raises a warning naming the source", async () => {
    await resetSandbox();
    await setSettings("followupboss", { archivedSources: ["Zillow"] });
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: { contact_name: "Ina Gnored", contact_email_address: "ina.gnored@example.com", phone_number: "512-555-0177", message: "hi" },
    };
    expect((await post(await signedDelivery("zillow", lead))).status).toBe(202);
    const trace = await eventually(() =>
      env.DB.prepare(
        "SELECT t.outcome, t.detail FROM traces t JOIN people p ON p.id = t.subject WHERE p.email = 'ina.gnored@example.com' AND t.stage = 'CRM_IGNORED'",
      ).first<{ outcome: string; detail: string }>(),
    );
    expect(trace.outcome).toBe("skipped");
    const alert = await eventually(() =>
      env.DB.prepare("SELECT severity, state, title, detail FROM alerts WHERE key = 'crm_lead_ignored:Zillow'").first<{
        severity: string;
        state: string;
        title: string;
        detail: string;
      }>(),
    );
    expect(alert).toMatchObject({ severity: "warning", state: "firing" });
    expect(alert.detail).toContain("archived");
  });
});
