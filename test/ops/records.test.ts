import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RecordDetail, SearchResult } from "../../src/ops/records";
import { linkStatement } from "../../src/store/links";
import { eventually } from "../helpers/deliveries";
import { fub } from "../helpers/people";
import { deliverOutbox } from "../helpers/sandbox";
import { api, apiJson, phone, postJson, sendLead, tag } from "./helpers";

describe("finding a record and its trace", async () => {
  const t = tag();
  const lead = { email: `Maya.Find${t}@Example.com`, name: `Maya Find${t}`, phone: phone() };
  const { deliveryId, personId } = await sendLead(lead);
  const fub = await env.DB.prepare(`SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss'`)
    .bind(personId)
    .first<{ external_id: string }>();

  const search = (q: string) => apiJson<SearchResult>("/records/search", { method: "POST", body: JSON.stringify({ q }) });

  it("by email in any case, by phone as typed or in E.164, by name, by canonical id and by the CRM's id", async () => {
    const e164 = `+1${lead.phone.replace(/\D/g, "")}`;
    expect(fub?.external_id).toBeTruthy();
    for (const q of [
      lead.email,
      lead.email.toLowerCase(),
      lead.phone,
      e164,
      lead.phone.replace(/\D/g, ""),
      `Find${t}`,
      lead.name,
      personId,
      fub?.external_id ?? "?",
    ]) {
      const r = await search(q);
      expect(
        r.people.map((p) => p.id),
        q,
      ).toContain(personId);
    }
    const [hit] = (await search(lead.email)).people;
    expect(hit?.links).toContainEqual(expect.objectContaining({ system: "followupboss", kind: "person", externalId: fub?.external_id }));
    expect(hit?.leadSource).toBe("Zillow");
  });

  it("finds nothing for a stranger, and % or _ are not wildcards", async () => {
    expect((await search(`nobody-${t}@example.com`)).people).toEqual([]);
    expect((await search("%%")).people).toEqual([]);
    expect((await search("__")).people).toEqual([]);
  });

  it("the record shows field provenance, links and the timeline from webhook to CRM", async () => {
    const d = await apiJson<RecordDetail>(`/records/${personId}`);
    expect(d.kind).toBe("person");
    const emails = d.fields.find((f) => f.field === "emails");
    expect(emails).toMatchObject({ value: [lead.email.toLowerCase()], system: "zillow" });
    expect(d.links.map((l) => l.system)).toContain("followupboss");
    const stages = d.traces.map((t) => t.stage);
    expect(stages.slice(0, 2)).toEqual(["RECEIVED", "NORMALIZED"]); // the delivery's own traces come first
    expect(stages).toContain("CRM_CREATED");
    expect(d.traces.every((x) => x.deliveryId === deliveryId || x.subject === personId)).toBe(true);
    expect(d.events.map((e) => e.type)).toContain("lead.received");
  });

  it("a record with more traces than the timeline shows ends with its latest, in time order", async () => {
    const busy = await sendLead({ email: `busy${t}@example.com`, name: `Bo Busy${t}`, phone: phone() });
    const at = Date.now();
    const stmts = Array.from({ length: 520 }, (_, i) =>
      env.DB.prepare("INSERT INTO traces (subject, stage, outcome, detail, at) VALUES (?1, ?2, 'ok', 'test', ?3)").bind(
        busy.personId,
        i === 519 ? "LATEST" : "CONTACT_CHANGED",
        at + i,
      ),
    );
    for (let i = 0; i < stmts.length; i += 100) await env.DB.batch(stmts.slice(i, i + 100));
    const d = await apiJson<RecordDetail>(`/records/${busy.personId}`);
    expect(d.traces.at(-1)?.stage).toBe("LATEST");
    const times = d.traces.map((x) => x.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("the delivery shows its raw payload and the event its canonical data", async () => {
    const delivery = await apiJson<{
      payload: { data: { contact_email_address: string } };
      events: Array<{ id: string; type: string }>;
      status: string;
    }>(`/deliveries/${deliveryId}`);
    expect(delivery.payload.data.contact_email_address).toBe(lead.email);
    expect(delivery.status).toBe("normalized");
    const eventId = delivery.events.find((e) => e.type === "lead.received")?.id ?? "";
    const event = await apiJson<{
      type: string;
      data: { person: { emails: Array<{ value: string }> } };
      applied: Array<{ action: string }>;
    }>(`/events/${encodeURIComponent(eventId)}`);
    expect(event.data.person.emails[0]?.value).toBe(lead.email.toLowerCase());
    expect(event.applied.map((a) => a.action)).toContain("crm.lead");
  });

  it("an unknown id is 404, a malformed one 400, a too-short search 422 — all problem documents", async () => {
    for (const [path, status, code] of [
      ["/records/per_nope", 404, "not_found"],
      ["/events/evt_nope", 404, "not_found"],
      ["/deliveries/nope", 404, "not_found"],
      [`/records/${encodeURIComponent("a b<c>")}`, 400, "bad_request"],
    ] as const) {
      const res = await api(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json(), path).toMatchObject({ code });
    }
    for (const body of [{ q: "a" }, {}, { q: "ana", limit: 0 }]) {
      const res = await postJson("/records/search", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(await res.json()).toMatchObject({ code: "validation_failed" });
    }
  });

  it("search goes by POST: a GET with an email or phone in the URL is refused and finds nothing", async () => {
    for (const q of [lead.email, lead.phone]) {
      const res = await api(`/records?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({ code: "method_not_allowed" });
      expect(body).not.toContain(personId);
    }
    const found = await postJson("/records/search", { q: lead.email, limit: 5 });
    expect(found.status).toBe(200);
    expect((await found.json<SearchResult>()).people.map((p) => p.id)).toContain(personId);
  });

  it("links are listed by system and canonical id", async () => {
    const r = await apiJson<{ links: Array<{ canonicalId: string; system: string }> }>(
      `/links?canonicalId=${personId}&system=followupboss`,
    );
    expect(r.links).toEqual([expect.objectContaining({ canonicalId: personId, system: "followupboss" })]);
    expect((await api("/links?kind=planet")).status).toBe(422);
  });
});

describe("listing more links than one page holds", () => {
  it("answers the total and a cursor; walking the cursors sees every link once", async () => {
    const system = `pg${tag()}`;
    const at = Date.now();
    // Ten links share each creation time, so the order must break ties by the link's own key.
    await env.DB.batch(
      Array.from({ length: 130 }, (_, i) =>
        linkStatement(
          env.DB,
          { system, kind: "person", externalId: `ext-${i}`, canonicalId: `per_${system}_${i}` },
          at + Math.floor(i / 10),
        ),
      ),
    );
    type Page = { links: Array<{ externalId: string }>; total: number; cursor: string | null };
    const first = await apiJson<Page>(`/links?system=${system}`);
    expect(first).toMatchObject({ total: 130, cursor: expect.any(String) });
    expect(first.links).toHaveLength(100);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await apiJson<Page>(`/links?system=${system}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.total).toBe(130);
      seen.push(...page.links.map((l) => l.externalId));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(130);
    expect(seen).toHaveLength(130);
  });
});

describe("a deal's record", () => {
  it("shows the golden deal with its person, links and timeline, and is listed on the person's record", async () => {
    const t = tag();
    const { personId } = await sendLead({ email: `dana.deal${t}@example.com`, name: `Dana Deal${t}`, phone: phone() });
    const person = await eventually(() =>
      env.DB.prepare(`SELECT external_id FROM links WHERE canonical_id = ?1 AND system = 'followupboss' AND kind = 'person'`)
        .bind(personId)
        .first<{ external_id: string }>(),
    );
    const { pipelines } = await fub<{ pipelines: Array<{ stages: Array<{ id: number }> }> }>("GET", "/v1/pipelines");
    const name = `9 View St ${t}, Austin, TX 78702`;
    const deal = await fub<{ id: number }>("POST", "/v1/deals", {
      name,
      stageId: pipelines[0]?.stages[0]?.id,
      peopleIds: [Number(person.external_id)],
      price: 310000,
    });
    const dealId = await eventually(async () => {
      await deliverOutbox({ source: "followupboss" });
      // The link is claimed first; the deal row and its trace follow in the deal's own batch.
      const row = await env.DB.prepare(
        "SELECT l.canonical_id FROM links l JOIN deals d ON d.id = l.canonical_id WHERE l.system = 'followupboss' AND l.kind = 'deal' AND l.external_id = ?1",
      )
        .bind(String(deal.id))
        .first<{ canonical_id: string }>();
      return row?.canonical_id ?? null;
    }, 15_000);

    const d = await apiJson<RecordDetail>(`/records/${dealId}`);
    expect(d.kind).toBe("deal");
    expect(d.record).toMatchObject({ id: dealId, personId, name, priceCents: 31_000_000 });
    expect(d.links).toContainEqual(expect.objectContaining({ system: "followupboss", kind: "deal", externalId: String(deal.id) }));
    expect(d.traces.length).toBeGreaterThan(0);
    expect(d.traces.every((x) => x.subject === dealId || x.deliveryId !== null)).toBe(true);
    const p = await apiJson<RecordDetail>(`/records/${personId}`);
    expect(p.deals).toEqual([expect.objectContaining({ id: dealId, name })]);
  });
});
