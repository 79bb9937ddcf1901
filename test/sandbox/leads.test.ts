import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/verify";
import { b64, drain, hmac, reset, sendJson, setSettings, unb64 } from "./helpers";

interface Lead {
  webhookId: string;
  personKey: number;
  repeat: boolean;
  expected: { firstName: string; lastName: string; email: string; phone: string };
  data: Record<string, unknown>;
  deliveryIds: string[];
}

interface Emitted {
  seed: number;
  count: number;
  delivery: string;
  leads: Lead[];
}

async function emit(body: Record<string, unknown>): Promise<Emitted> {
  const res = await sendJson("/_sandbox/leads", body);
  expect(res.status).toBe(200);
  return res.json<Emitted>();
}

beforeEach(() => reset());

describe("POST /_sandbox/leads", () => {
  it("emits Zillow leads as signed Standard Webhooks deliveries in the default shape", async () => {
    const out = await emit({ source: "zillow", count: 5, seed: 1 });
    expect(out.delivery).toBe("outbox");
    const deliveries = await drain("zillow");
    expect(deliveries.map((d) => d.headers["webhook-id"])).toEqual(out.leads.map((l) => l.webhookId));
    for (const d of deliveries) {
      expect(d.path).toBe("/hooks/zillow");
      const body = JSON.parse(d.body) as { type: string; timestamp: string; data: Record<string, unknown> };
      expect(body.type).toBe("lead.created");
      expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
      expect(Object.keys(body.data).sort()).toEqual(["contact_email_address", "contact_name", "listing", "message", "phone_number"]);
      expect((body.data["listing"] as { price: string }).price).toMatch(/^\$\d{1,3}(,\d{3})+$/);
      const id = d.headers["webhook-id"] ?? "";
      const ts = d.headers["webhook-timestamp"] ?? "";
      const key = unb64(env.WEBHOOK_SECRET_ZILLOW.replace("whsec_", ""));
      expect(d.headers["webhook-signature"]).toBe(`v1,${b64(await hmac("SHA-256", key, `${id}.${ts}.${d.body}`))}`);
      const verdict = await verifyWebhook({
        scheme: "standard-webhooks",
        secret: env.WEBHOOK_SECRET_ZILLOW,
        headers: d.headers,
        body: d.body,
        now: Math.floor(Date.now() / 1000),
      });
      expect(verdict).toMatchObject({ ok: true });
    }
  });

  it("renders IDX and Realtor.com shapes with messy phones and mixed-case emails", async () => {
    const idx = await emit({ source: "idx", count: 30, seed: 2, repeatRate: 0 });
    for (const l of idx.leads) {
      expect(l.data).toMatchObject({ firstName: l.expected.firstName, lastName: l.expected.lastName });
      expect(String(l.data["email"]).trim().toLowerCase()).toBe(l.expected.email);
      const digits = String(l.data["phone"])
        .replace(/\s*(x|ext\.)\s*\d+$/, "")
        .replace(/\D/g, "")
        .replace(/^1(\d{10})$/, "$1");
      expect(`+1${digits}`).toBe(l.expected.phone);
    }
    const phones = idx.leads.map((l) => String(l.data["phone"]));
    expect(phones.some((p) => /^\(\d{3}\) \d{3}-\d{4}$/.test(p))).toBe(true);
    expect(phones.some((p) => /x\d+|ext\./.test(p))).toBe(true);
    expect(idx.leads.some((l) => String(l.data["email"]) !== l.expected.email)).toBe(true);
    expect(idx.leads.some((l) => l.data["property"] === undefined)).toBe(true);

    const rdc = await emit({ source: "realtor", count: 10, seed: 3 });
    for (const l of rdc.leads) {
      expect(["buyer", "seller"]).toContain(l.data["role"]);
      expect(l.data["contact"]).toMatchObject({ first_name: l.expected.firstName, last_name: l.expected.lastName });
      expect(Object.keys(l.data["property"] as object).sort()).toEqual(["address", "city", "mls_id", "postal_code", "price", "state"]);
    }
  });

  it("repeats the same person at about the requested rate", async () => {
    const out = await emit({ source: "zillow", count: 200, repeatRate: 0.3, seed: 9 });
    const repeats = out.leads.filter((l) => l.repeat);
    expect(repeats.length).toBeGreaterThan(40);
    expect(repeats.length).toBeLessThan(80);
    for (const r of repeats) {
      const first = out.leads.find((l) => l.personKey === r.personKey && !l.repeat);
      expect(first?.expected).toEqual(r.expected);
    }
    const none = await emit({ source: "zillow", count: 50, repeatRate: 0, seed: 9 });
    expect(none.leads.some((l) => l.repeat)).toBe(false);
  });

  it("is deterministic: the same seed gives the same leads, after a reset the same ids too", async () => {
    const a = await emit({ source: "realtor", count: 20, seed: 77 });
    const b = await emit({ source: "realtor", count: 20, seed: 77 });
    expect(b.leads.map((l) => l.data)).toEqual(a.leads.map((l) => l.data));
    expect(b.leads.map((l) => l.webhookId)).not.toEqual(a.leads.map((l) => l.webhookId));
    await reset();
    const c = await emit({ source: "realtor", count: 20, seed: 77 });
    expect(c.leads.map((l) => l.webhookId)).toEqual(a.leads.map((l) => l.webhookId));
    const other = await emit({ source: "realtor", count: 20, seed: 78 });
    expect(other.leads.map((l) => l.data)).not.toEqual(a.leads.map((l) => l.data));
  });

  it("without a seed draws one from the reset seed, so a run replays", async () => {
    await reset(1234);
    const a = await emit({ source: "idx", count: 5 });
    await reset(1234);
    const b = await emit({ source: "idx", count: 5 });
    expect(b.seed).toBe(a.seed);
    expect(b.leads).toEqual(a.leads);
  });

  it("refuses an unknown source", async () => {
    expect((await sendJson("/_sandbox/leads", { source: "craigslist" })).status).toBe(400);
  });
});

describe("POST /_sandbox/docusign/envelope-completed", () => {
  it("emits the minimal Connect form by default: ids only, no envelopeSummary", async () => {
    const res = await sendJson("/_sandbox/docusign/envelope-completed", {
      signerEmail: "ana@example.com",
      subject: "Purchase agreement - 12 Oak Ln",
    });
    expect(res.status).toBe(200);
    const [d] = await drain("docusign");
    const body = JSON.parse(d?.body ?? "{}") as { event: string; data: Record<string, unknown> };
    expect(body.event).toBe("envelope-completed");
    expect(Object.keys(body.data).sort()).toEqual(["accountId", "envelopeId", "userId"]);
  });

  it("emits a Connect envelope-completed event signed with X-DocuSign-Signature-1", async () => {
    await setSettings("docusign", { connectData: "summary" });
    const res = await sendJson("/_sandbox/docusign/envelope-completed", {
      signerEmail: "ana@example.com",
      subject: "Purchase agreement - 12 Oak Ln",
    });
    expect(res.status).toBe(200);
    const [d] = await drain("docusign");
    expect(d?.path).toBe("/hooks/docusign");
    const body = JSON.parse(d?.body ?? "{}") as {
      event: string;
      data: { envelopeSummary: { status: string; emailSubject: string; recipients: { signers: Array<{ email: string }> } } };
    };
    expect(body.event).toBe("envelope-completed");
    expect(body.data.envelopeSummary).toMatchObject({ status: "completed", emailSubject: "Purchase agreement - 12 Oak Ln" });
    expect(body.data.envelopeSummary.recipients.signers[0]?.email).toBe("ana@example.com");
    expect(d?.headers["X-DocuSign-Signature-1"]).toBe(b64(await hmac("SHA-256", env.WEBHOOK_SECRET_DOCUSIGN, d?.body ?? "")));
    const verdict = await verifyWebhook({
      scheme: "docusign",
      secret: env.WEBHOOK_SECRET_DOCUSIGN,
      headers: d?.headers ?? {},
      body: d?.body ?? "",
      now: Math.floor(Date.now() / 1000),
    });
    expect(verdict.ok).toBe(true);
  });
});
