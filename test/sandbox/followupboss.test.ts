import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/verify";
import { b64, counters, drain, fub, fubHeaders, hex, hmac, reset, setSettings } from "./helpers";

const lead = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) => ({
  source: "Zillow",
  system: "dealwire",
  type: "Inquiry",
  message: "Is it available?",
  person: { firstName: "Ana", lastName: "Ruiz", emails: [{ value: "ana@example.com" }], phones: [{ value: "(512) 555-0142" }], ...person },
  ...over,
});

interface Person {
  id: number;
  name: string;
  emails: Array<{ value: string }>;
  phones: Array<{ value: string }>;
  stage: string;
  tags: string[];
}

beforeEach(() => reset());

describe("Follow Up Boss auth and rate limits", () => {
  it("rejects a wrong API key and a wrong system key with 401", async () => {
    expect((await fub("/v1/people", { headers: fubHeaders({ key: "nope" }) })).status).toBe(401);
    expect((await fub("/v1/people", { headers: fubHeaders({ systemKey: "wrong" }) })).status).toBe(401);
    const noAuth = await fub("/v1/people", { headers: {} });
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toHaveProperty("errorMessage");
    const unknown = await fub("/v1/nothing");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty("errorMessage");
  });

  it("sends X-RateLimit headers; without a system key the global limit is lower", async () => {
    const withKey = await fub("/v1/people");
    expect(withKey.headers.get("x-ratelimit-limit")).toBe("250");
    expect(withKey.headers.get("x-ratelimit-remaining")).toBe("249");
    expect(withKey.headers.get("x-ratelimit-window")).toBe("10");
    expect(withKey.headers.get("x-ratelimit-context")).toBe("global");
    const without = await fub("/v1/people", { headers: fubHeaders({ systemKey: null }) });
    expect(without.headers.get("x-ratelimit-limit")).toBe("125");
    const events = await fub("/v1/events");
    expect(events.headers.get("x-ratelimit-context")).toBe("events");
    expect(events.headers.get("x-ratelimit-limit")).toBe("20");
  });

  it("answers 429 with Retry-After over the limit, without processing the request", async () => {
    await setSettings("followupboss", { rateLimit: { limit: 3, windowSeconds: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fub("/v1/people", { method: "POST", body: { firstName: `P${i}` } })).status);
    const limited = await fub("/v1/people", { method: "POST", body: { firstName: "Over" } });
    expect(statuses).toEqual([201, 201, 201]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    // POST /v1/events is its own (unlimited) context, so leads still flow.
    expect((await fub("/v1/events", { method: "POST", body: lead() })).status).toBe(201);
    await setSettings("followupboss", { rateLimit: null });
    const people = await (await fub("/v1/people?name=Over")).json<{ people: Person[] }>();
    expect(people.people).toHaveLength(0);
    const c = await counters("followupboss");
    expect(c.rateLimited).toBe(1);
    expect(c.requestTimes["global"]?.length).toBeGreaterThanOrEqual(5);
  });
});

describe("POST /v1/events", () => {
  it("creates (201), then matches by email (200), then by phone (200), returning the person", async () => {
    const first = await fub("/v1/events", { method: "POST", body: lead() });
    expect(first.status).toBe(201);
    const p1 = await first.json<Person>();
    expect(p1.name).toBe("Ana Ruiz");
    const byEmail = await fub("/v1/events", { method: "POST", body: lead({}, { emails: [{ value: " ANA@Example.com" }], phones: [] }) });
    expect(byEmail.status).toBe(200);
    expect((await byEmail.json<Person>()).id).toBe(p1.id);
    const byPhone = await fub("/v1/events", {
      method: "POST",
      body: lead({}, { emails: [{ value: "ana.r@work.example" }], phones: [{ value: "+1 512.555.0142 x7" }] }),
    });
    expect(byPhone.status).toBe(200);
    const merged = await byPhone.json<Person>();
    expect(merged.id).toBe(p1.id);
    expect(merged.emails.map((e) => e.value)).toEqual(["ana@example.com", "ana.r@work.example"]);
    const list = await (await fub("/v1/people")).json<{ people: Person[] }>();
    expect(list.people).toHaveLength(1);
  });

  it("assigns a person its event creates, but an event matching an existing person leaves its agent", async () => {
    const first = await fub("/v1/events", { method: "POST", body: lead({}, { assignedTo: "Alex Kim" }) });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ assignedTo: "Alex Kim" });
    const again = await fub("/v1/events", { method: "POST", body: lead({}, { assignedTo: "Jordan Patel" }) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ assignedTo: "Alex Kim" });
  });

  it("answers 204 with no body when the source is archived, and 404 for an unknown person.id", async () => {
    await setSettings("followupboss", { archivedSources: ["Zillow"] });
    const archived = await fub("/v1/events", { method: "POST", body: lead() });
    expect(archived.status).toBe(204);
    expect(await archived.text()).toBe("");
    await setSettings("followupboss", { archivedSources: [] });
    expect((await fub("/v1/events", { method: "POST", body: lead({}, { id: 999999 }) })).status).toBe(404);
    expect((await (await fub("/v1/people")).json<{ people: Person[] }>()).people).toHaveLength(0);
  });

  it("resolves the Inquiry shorthand by the presence of a property", async () => {
    await fub("/v1/events", { method: "POST", body: lead({ property: { street: "12 Oak Ln", city: "Austin" } }) });
    await fub("/v1/events", { method: "POST", body: lead({}, { emails: [{ value: "b@example.com" }], phones: [] }) });
    const events = await (await fub("/v1/events?sort=id")).json<{ events: Array<{ type: string }> }>();
    expect(events.events.map((e) => e.type)).toEqual(["Property Inquiry", "General Inquiry"]);
    expect((await fub("/v1/events", { method: "POST", body: lead({ type: "Bogus" }) })).status).toBe(400);
  });
});

describe("/v1/people", () => {
  it("pages with limit and the _metadata.next cursor until every person is seen once", async () => {
    for (let i = 0; i < 7; i++)
      await fub("/v1/people", { method: "POST", body: { firstName: `P${i}`, emails: [{ value: `p${i}@x.test` }] } });
    const seen: number[] = [];
    let path: string | null = "/v1/people?limit=3";
    let pages = 0;
    while (path !== null) {
      const body: { _metadata: { total: number; next: string | null; nextLink: string | null; collection: string }; people: Person[] } =
        await (await fub(path)).json();
      expect(body._metadata.total).toBe(7);
      expect(body._metadata.collection).toBe("people");
      seen.push(...body.people.map((p) => p.id));
      pages++;
      path = body._metadata.next === null ? null : `/v1/people?limit=3&next=${encodeURIComponent(body._metadata.next)}`;
      if (body._metadata.next !== null) expect(body._metadata.nextLink).toContain("next=");
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...seen].sort((a, b) => b - a)); // newest first
  });

  it("filters by email and phone, checks duplicates, and dedupes POST only when asked", async () => {
    const created = await (
      await fub("/v1/people", {
        method: "POST",
        body: { firstName: "Ana", emails: [{ value: "ana@example.com" }], phones: [{ value: "512-555-0142" }] },
      })
    ).json<Person>();
    const byPhone = await (await fub("/v1/people?phone=5125550142")).json<{ people: Person[] }>();
    expect(byPhone.people.map((p) => p.id)).toEqual([created.id]);
    const dup = await (await fub("/v1/people/checkDuplicate?phone=(512)%20555-0142")).json<{
      exists: boolean;
      matchedBy: string;
      id: number;
    }>();
    expect(dup).toMatchObject({ exists: true, matchedBy: "phone", id: created.id });
    const again = await fub("/v1/people?deduplicate=true", {
      method: "POST",
      body: { firstName: "Other", emails: [{ value: "ANA@example.com" }] },
    });
    expect(again.status).toBe(200);
    expect((await again.json<Person>()).name).toBe("Ana");
    expect((await fub("/v1/people", { method: "POST", body: { emails: [{ value: "ana@example.com" }] } })).status).toBe(201);
    const put = await fub(`/v1/people/${created.id}`, { method: "PUT", body: { firstName: "Mary", stage: "Active Client" } });
    expect(await put.json()).toMatchObject({ firstName: "Mary", stage: "Active Client", name: "Mary" });
  });
});

describe("deals, pipelines, notes", () => {
  it("starts with a buyer pipeline and the Transaction ID deal field; deals need name and stageId", async () => {
    const pipelines = await (await fub("/v1/pipelines")).json<{
      pipelines: Array<{ name: string; stages: Array<{ id: number; name: string }> }>;
    }>();
    const buyers = pipelines.pipelines.find((p) => p.name === "Buyers");
    expect(buyers?.stages.map((s) => s.name)).toEqual(
      expect.arrayContaining(["Lead", "Active Client", "Under Contract", "Closed", "Cancelled"]),
    );
    const fields = await (await fub("/v1/dealCustomFields")).json<{ dealCustomFields: Array<{ name: string }> }>();
    expect(fields.dealCustomFields.map((f) => f.name)).toContain("customTransactionID");
    const users = await (await fub("/v1/users")).json<{ users: Array<{ role: string }> }>();
    expect(users.users.filter((u) => u.role === "Agent").length).toBeGreaterThanOrEqual(1);

    const person = await (await fub("/v1/people", { method: "POST", body: { firstName: "Ana" } })).json<Person>();
    const underContract = buyers?.stages.find((s) => s.name === "Under Contract")?.id;
    expect((await fub("/v1/deals", { method: "POST", body: { name: "12 Oak" } })).status).toBe(400);
    expect((await fub("/v1/deals", { method: "POST", body: { name: "12 Oak", stageId: 99999 } })).status).toBe(400);
    expect((await fub("/v1/deals", { method: "POST", body: { name: "12 Oak", stageId: underContract, customNope: 1 } })).status).toBe(400);
    const deal = await fub("/v1/deals", {
      method: "POST",
      body: { name: "12 Oak", stageId: underContract, peopleIds: [person.id], price: 450000, customTransactionID: "T-1" },
    });
    expect(deal.status).toBe(201);
    const d = await deal.json<{
      id: number;
      stageName: string;
      pipelineName: string;
      customTransactionID: string;
      people: Array<{ id: number }>;
    }>();
    expect(d).toMatchObject({
      stageName: "Under Contract",
      pipelineName: "Buyers",
      customTransactionID: "T-1",
      people: [{ id: person.id }],
    });
    const mine = await (await fub(`/v1/deals?personId=${person.id}`)).json<{ deals: Array<{ id: number }> }>();
    expect(mine.deals.map((x) => x.id)).toEqual([d.id]);
    expect((await fub("/v1/notes", { method: "POST", body: { body: "no person" } })).status).toBe(400);
    expect((await fub("/v1/notes", { method: "POST", body: { personId: person.id, body: "Called" } })).status).toBe(201);
  });
});

describe("Follow Up Boss webhooks", () => {
  it("delivers thin, signed payloads to the hub when nothing is registered", async () => {
    const p = await (await fub("/v1/events", { method: "POST", body: lead() })).json<Person>();
    await fub(`/v1/people/${p.id}`, { method: "PUT", body: { stage: "Active Client" } });
    const out = await drain("followupboss");
    expect(out.map((d) => JSON.parse(d.body).event)).toEqual(["peopleCreated", "peopleUpdated"]);
    for (const d of out) {
      expect(d.path).toBe("/hooks/followupboss");
      const body = JSON.parse(d.body) as { eventId: string; resourceIds: number[]; uri: string };
      expect(body.resourceIds).toEqual([p.id]);
      expect(body.uri).toBe(`http://127.0.0.1:8788/followupboss/v1/people?id=${p.id}`);
      const expected = hex(await hmac("SHA-256", env.FOLLOWUPBOSS_SYSTEM_KEY, b64(new TextEncoder().encode(d.body))));
      expect(d.headers["FUB-Signature"]).toBe(expected);
      const verdict = await verifyWebhook({
        scheme: "followupboss",
        secret: env.WEBHOOK_SECRET_FOLLOWUPBOSS,
        headers: d.headers,
        body: d.body,
        now: Math.floor(Date.now() / 1000),
      });
      expect(verdict.ok).toBe(true);
    }
    // The uri is fetchable and names the person.
    const viaUri = await (await fub(`/v1/people?id=${p.id}`)).json<{ people: Person[] }>();
    expect(viaUri.people[0]?.id).toBe(p.id);
    expect(await drain("followupboss")).toHaveLength(0);
  });

  it("registers at most 2 webhooks per event and then delivers only to them", async () => {
    const reg = (url: string) => fub("/v1/webhooks", { method: "POST", body: { event: "dealsUpdated", url } });
    expect(
      (
        await fub("/v1/webhooks", {
          method: "POST",
          body: { event: "dealsUpdated", url: "https://a.test/x" },
          headers: fubHeaders({ systemKey: null }),
        })
      ).status,
    ).toBe(403);
    expect((await reg("https://hub.test/hooks/followupboss")).status).toBe(201);
    expect((await reg("https://other.test/fub")).status).toBe(201);
    expect((await reg("https://third.test/fub")).status).toBe(400);
    expect((await fub("/v1/webhooks", { method: "POST", body: { event: "nope", url: "https://a.test" } })).status).toBe(400);
    const stageId = 102;
    const deal = await (await fub("/v1/deals", { method: "POST", body: { name: "D", stageId: 101 } })).json<{ id: number }>();
    await fub(`/v1/deals/${deal.id}`, { method: "PUT", body: { stageId } });
    const out = await drain("followupboss");
    expect(out.map((d) => d.url).sort()).toEqual(["https://hub.test/hooks/followupboss", "https://other.test/fub"]);
    expect(out.every((d) => JSON.parse(d.body).event === "dealsUpdated")).toBe(true);
    const list = await (await fub("/v1/webhooks?event=dealsUpdated")).json<{ webhooks: Array<{ id: number }> }>();
    expect(list.webhooks).toHaveLength(2);
    expect((await fub(`/v1/webhooks/${list.webhooks[0]?.id}`, { method: "DELETE" })).status).toBe(204);
  });
});
