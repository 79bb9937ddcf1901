import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectionConfig } from "../../src/config/brokerage";
import type { LeadData } from "../../src/canonical";
import { LionDeskClient } from "../../src/vendors/liondesk/client";
import { LionDeskCrm } from "../../src/vendors/liondesk/crm";
import { lionDeskExpiry } from "../../src/vendors/liondesk/oauth";
import { connectFlow, configOf, envWith, getSettings, kind, open, setSettings, storedCredential, uid } from "./support";

async function storedOrFail(id: string) {
  const cred = await storedCredential(id);
  if (!cred) throw new Error(`${id} holds no credential`);
  return cred;
}

/**
 * A LionDesk connection with a gate of its own (same account as liondesk:main), connected the way
 * a brokerage connects it: the operator goes through /connect/liondesk and LionDesk grants a code.
 */
async function connected(overrides: Partial<ConnectionConfig> = {}) {
  const id = `liondesk:t${uid()}`;
  const appEnv = envWith([{ from: "liondesk:main", id }]);
  const flow = await connectFlow("liondesk", id, appEnv);
  expect(flow.done.status).toBe(200);
  expect(await flow.done.json()).toEqual({ status: "connected", vendor: "liondesk", connection: id });
  return open(id, overrides, appEnv);
}

const tokens = async () => (await kind("liondesk", "token")).length;

let clockBefore: number | undefined;

afterEach(async () => {
  await setSettings("liondesk", {
    tokenLifetimeSeconds: null,
    rateLimit: null,
    ...(clockBefore !== undefined ? { clockOffsetMs: clockBefore } : {}),
  });
  clockBefore = undefined;
});

function lead(email: string): LeadData {
  return {
    person: {
      firstName: "Ana",
      lastName: "Ruiz",
      emails: [{ value: email }],
      phones: [{ value: "+15125550142", type: "mobile" }],
      roles: [],
      tags: ["zillow"],
    },
    property: {
      address: { number: "12", street: "Oak", suffix: "Ln", city: "Austin", state: "TX", zip: "78701" },
      mlsId: "1234567",
      price: 45_000_000,
    },
    message: "Is it still available?",
    leadType: "Property Inquiry",
  };
}

describe("LionDesk tokens", () => {
  it("connects through the OAuth connect flow (authorization code), keeps the refresh token and its lifetime, and never asks for client credentials", async () => {
    const before = await tokens();
    const conn = await connected();
    expect((await tokens()) - before).toBe(1);
    const cred = await storedCredential(conn.config.id);
    expect(cred?.refreshToken).toBeTruthy();
    expect(cred?.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(cred?.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => new LionDeskClient(conn).ping()));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect((await tokens()) - before).toBe(1);
    // LionDesk documents no client-credentials grant; its token endpoint refuses one.
    const cc = await fetch("http://127.0.0.1:8788/liondesk/oauth2/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: env.LIONDESK_CLIENT_ID,
        client_secret: env.LIONDESK_CLIENT_SECRET,
      }),
    });
    expect(cc.status).toBe(400);
  });

  it("a connection never connected says so and names the connect page, instead of asking for a token", async () => {
    const before = await tokens();
    const r = await new LionDeskClient(open("liondesk:main", { id: `liondesk:t${uid()}` })).ping();
    expect(!r.ok && r.error).toMatchObject({ code: "not_connected", retryable: false });
    expect(!r.ok && r.error.message).toContain("/connect/liondesk");
    expect((await tokens()) - before).toBe(0);
  });

  it("reads the lifetime from expires_in, else from the ISO expires", () => {
    const now = Date.parse("2026-12-02T12:00:00Z");
    expect(lionDeskExpiry({ expires_in: 7200, expires: "2026-12-02T12:30:00Z" }, now)).toBe(now + 7_200_000);
    expect(lionDeskExpiry({ expires: "2026-12-02T12:30:00.000Z" }, now)).toBe(now + 1_800_000);
    expect(lionDeskExpiry({ expires: Math.floor(now / 1000) + 600 }, now)).toBe(now + 600_000);
    expect(lionDeskExpiry({}, now)).toBe(now + 3_600_000);
  });

  it("a token LionDesk has expired (401) is refreshed once and the calls retried", async () => {
    await setSettings("liondesk", { tokenLifetimeSeconds: 120 });
    const conn = await connected();
    expect((await new LionDeskClient(conn).ping()).ok).toBe(true);
    clockBefore = (await getSettings("liondesk")).clockOffsetMs;
    await setSettings("liondesk", { clockOffsetMs: clockBefore + 130_000 });
    const first = await storedCredential(conn.config.id);
    const before = await tokens();
    const results = await Promise.all(Array.from({ length: 4 }, () => new LionDeskClient(conn).ping()));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    // One refresh: LionDesk retires the old token as it issues the new one.
    expect((await tokens()) - before).toBe(0);
    const renewed = await storedCredential(conn.config.id);
    expect(renewed?.accessToken).not.toBe(first?.accessToken);
    expect(renewed?.refreshToken).toBeTruthy();
  });

  it("a refresh with wrong client credentials is a permanent refusal that asks to reconnect", async () => {
    const good = await connected();
    await env.VENDOR_GATE.getByName(good.config.id).storeCredential(null, {
      ...(await storedOrFail(good.config.id)),
      expiresAt: Date.now() - 1,
    });
    const conn = open(
      good.config.id,
      { credentials: { ...configOf("liondesk:main").credentials, clientSecret: "wrong" } },
      envWith([{ from: "liondesk:main", id: good.config.id }]),
    );
    const r = await new LionDeskClient(conn).ping();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "not_connected", retryable: false });
  });
});

describe("LionDesk as the CRM", () => {
  it("a new lead creates one contact and one lead; the same lead again (a retry) becomes a note, not a second contact", async () => {
    const email = `ana.${uid()}@example.com`;
    const first = await new LionDeskCrm(await connected()).sendLead(lead(email), { sourceName: "Zillow" });
    expect(first.ok && first.value).toMatchObject({ created: true, ignored: false });
    if (!first.ok || !first.value.externalId) return;
    const again = await new LionDeskCrm(await connected()).sendLead(lead(email), { sourceName: "Zillow" });
    expect(again).toEqual({ ok: true, value: { externalId: first.value.externalId, created: false, ignored: false } });

    const contacts = await kind<{ id: number; email: string; mobile_phone?: string; tags?: string }>("liondesk", "contact");
    const mine = contacts.filter((c) => c.email === email);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ mobile_phone: "+15125550142", tags: "zillow" });
    const leads = await kind<{ contact_id: number; listing_price?: number; zipcode?: string }>("liondesk", "lead");
    expect(leads.filter((l) => String(l.contact_id) === first.value.externalId)).toEqual([
      expect.objectContaining({ listing_price: 450_000, zipcode: "78701", mls_id: "1234567" }),
    ]);
    const notes = await kind<{ contact_id: number; content: string }>("liondesk", "note");
    expect(notes.filter((n) => String(n.contact_id) === first.value.externalId).map((n) => n.content)).toEqual([
      "New inquiry from Zillow: Is it still available?",
    ]);
  });

  it("a contact made for a lead whose LionDesk lead is refused keeps the inquiry as a note, so no retry makes a second contact", async () => {
    // Phone only: LionDesk's contact search takes an email, so a retry could not find this contact.
    const phoneOnly: LeadData = {
      ...lead("unused@example.com"),
      person: {
        ...lead("x@example.com").person,
        emails: [],
        phones: [{ value: `+1512555${String(Date.now()).slice(-4)}`, type: "mobile" }],
      },
    };
    await setSettings("liondesk", { rejectWrites: { match: "^POST \\S*/leads\\b" } });
    try {
      const r = await new LionDeskCrm(await connected()).sendLead(phoneOnly, { sourceName: "Zillow" });
      expect(r.ok && r.value).toMatchObject({ created: true, ignored: false });
      if (!r.ok || !r.value.externalId) return;
      const contacts = await kind<{ id: number; mobile_phone?: string }>("liondesk", "contact");
      expect(contacts.filter((c) => c.mobile_phone === phoneOnly.person.phones[0]?.value)).toHaveLength(1);
      const notes = await kind<{ contact_id: number; content: string }>("liondesk", "note");
      expect(notes.filter((n) => String(n.contact_id) === r.value.externalId).map((n) => n.content)).toEqual([
        "New inquiry from Zillow: Is it still available?",
      ]);
    } finally {
      await setSettings("liondesk", { rejectWrites: null });
    }
  });

  it("finds people by email whatever its case, reads them as canonical persons and updates them", async () => {
    const email = `li.${uid()}@example.com`;
    const crm = new LionDeskCrm(await connected());
    const sent = await crm.sendLead(lead(email), { sourceName: "Website" });
    if (!sent.ok || !sent.value.externalId) throw new Error("lead not sent");
    expect(await crm.findPerson({ emails: [email.toUpperCase()], phones: [] })).toEqual({
      ok: true,
      value: { externalId: sent.value.externalId },
    });
    expect((await crm.updatePerson(sent.value.externalId, { lastName: "Ruiz-Ortega" })).ok).toBe(true);
    const person = await crm.getPerson(sent.value.externalId);
    expect(person.ok && person.value?.person).toMatchObject({
      lastName: "Ruiz-Ortega",
      emails: [{ value: email }],
      phones: [{ value: "+15125550142", type: "mobile" }],
      tags: ["zillow"],
    });
    // With LionDesk's own time of the change, which a sync stamps the change with.
    expect(person.ok && person.value?.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(await crm.getPerson("999999")).toEqual({ ok: true, value: null });
    const missing = await crm.client.getContact("999999");
    expect(!missing.ok && missing.error).toMatchObject({ code: "vendor_http", status: 404, vendor: "liondesk", retryable: false });
  });

  it("says plainly that LionDesk has no deals", async () => {
    const r = await new LionDeskCrm(await connected()).updateDeal("1", { stage: "closed" });
    expect(!r.ok && r.error).toMatchObject({ code: "liondesk_no_deals", retryable: false });
    expect(await new LionDeskCrm(await connected()).getDeal("1")).toEqual({ ok: true, value: null });
  });

  it("a note the hub adds for a contact (a signed document, a listing update) lands on it, its subject above its body", async () => {
    const email = `note.${uid()}@example.com`;
    const crm = new LionDeskCrm(await connected());
    const sent = await crm.sendLead(lead(email), { sourceName: "Zillow" });
    if (!sent.ok || !sent.value.externalId) throw new Error("lead not sent");
    expect(await crm.addNote(sent.value.externalId, "Document signed", "Purchase agreement was signed.")).toEqual({
      ok: true,
      value: undefined,
    });
    const notes = await kind<{ contact_id: number; content: string }>("liondesk", "note");
    expect(notes.filter((n) => String(n.contact_id) === sent.value.externalId).map((n) => n.content)).toContain(
      "Document signed\n\nPurchase agreement was signed.",
    );
  });
});

describe("LionDesk limits", () => {
  it("a 429 with Retry-After comes back retryable with retryAfterSeconds and pauses the gate", async () => {
    const conn = await connected();
    expect((await new LionDeskClient(conn).ping()).ok).toBe(true);
    await setSettings("liondesk", { rateLimit: { limit: 1, windowSeconds: 5 } });
    let r = await new LionDeskClient(conn).ping();
    for (let i = 0; i < 2 && r.ok; i++) r = await new LionDeskClient(conn).ping();
    expect(!r.ok && r.error).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 5 });
    expect((await env.VENDOR_GATE.getByName(conn.config.id).stats()).pausedUntil).toBeGreaterThan(Date.now() + 3_000);
  });
});
