import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { reset, sb, sendJson } from "./helpers";

const BASE = "/reso/odata";
type Page = { "@odata.context": string; "@odata.nextLink"?: string; "@odata.count"?: number; value: Array<Record<string, unknown>> };

async function token(): Promise<string> {
  const res = await sb("/reso/oauth2/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${env.RESO_CLIENT_ID}:${env.RESO_CLIENT_SECRET}`)}`,
    },
    body: "grant_type=client_credentials",
  });
  expect(res.status).toBe(200);
  return (await res.json<{ access_token: string }>()).access_token;
}

async function get(path: string, bearer: string): Promise<Response> {
  return sb(path.startsWith("http") ? new URL(path).pathname + new URL(path).search : path, {
    headers: { authorization: `Bearer ${bearer}` },
  });
}

async function all(first: string, bearer: string): Promise<{ records: Array<Record<string, unknown>>; pages: number }> {
  const records: Array<Record<string, unknown>> = [];
  let next: string | undefined = first;
  let pages = 0;
  while (next) {
    const res = await get(next, bearer);
    expect(res.status).toBe(200);
    const page = await res.json<Page>();
    records.push(...page.value);
    next = page["@odata.nextLink"];
    pages++;
  }
  return { records, pages };
}

describe("the sandbox MLS (RESO Web API)", () => {
  beforeEach(async () => {
    await reset();
  });

  it("pages a feed ordered by ModificationTimestamp through nextLink, every listing exactly once", async () => {
    expect((await sendJson("/_sandbox/reso/seed", { count: 250 })).status).toBe(200);
    const t = await token();
    const { records, pages } = await all(`${BASE}/Property?$orderby=ModificationTimestamp&$top=40`, t);
    expect(pages).toBe(7);
    expect(new Set(records.map((r) => r["ListingKey"])).size).toBe(250);
    const stamps = records.map((r) => Date.parse(String(r["ModificationTimestamp"])));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });

  it("with tiesVary, orders the records of one timestamp differently in two client-paged answers to one query", async () => {
    expect((await sendJson("/_sandbox/reso/seed", { count: 6 })).status).toBe(200);
    const at = new Date(Date.now() - 60_000).toISOString();
    expect((await sendJson("/_sandbox/reso/change", { action: "price", count: 6, at })).status).toBe(200);
    expect((await sendJson("/_sandbox/reso/settings", { serverPaging: false, tiesVary: true }, "PUT")).status).toBe(200);
    const t = await token();
    const keys = async () => {
      const res = await get(`${BASE}/Property?$orderby=ModificationTimestamp&$top=3`, t);
      const page = await res.json<Page>();
      expect(page["@odata.nextLink"]).toBeUndefined();
      return page.value.map((r) => r["ListingKey"]);
    };
    const first = await keys();
    const second = await keys();
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(3);
    expect(second).not.toEqual(first);
  });

  it("with maxPage, answers fewer records than $top asks: with a next link when it pages by link, else none", async () => {
    expect((await sendJson("/_sandbox/reso/seed", { count: 12 })).status).toBe(200);
    expect((await sendJson("/_sandbox/reso/settings", { maxPage: 5 }, "PUT")).status).toBe(200);
    const t = await token();
    const query = `${BASE}/Property?$orderby=ModificationTimestamp&$top=10`;
    const linked = await (await get(query, t)).json<Page>();
    expect(linked.value).toHaveLength(5);
    expect(linked["@odata.nextLink"]).toContain("skiptoken");
    expect((await sendJson("/_sandbox/reso/settings", { serverPaging: false }, "PUT")).status).toBe(200);
    const bare = await (await get(query, t)).json<Page>();
    expect(bare.value).toHaveLength(5);
    expect(bare["@odata.nextLink"]).toBeUndefined();
  });

  it("with maxSkip, refuses a $skip past it with an OData error body", async () => {
    expect((await sendJson("/_sandbox/reso/settings", { maxSkip: 5 }, "PUT")).status).toBe(200);
    const t = await token();
    expect((await get(`${BASE}/Property?$orderby=ModificationTimestamp&$top=5&$skip=5`, t)).status).toBe(200);
    const refused = await get(`${BASE}/Property?$orderby=ModificationTimestamp&$top=5&$skip=6`, t);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { code: "BadRequest", message: "$skip is limited to 5" } });
  });

  it("filters on ModificationTimestamp gt, ListingKey and StandardStatus (plain and RESO enum literals)", async () => {
    const t = await token();
    const { records } = await all(`${BASE}/Property?$orderby=ModificationTimestamp&$top=1000`, t);
    const mid = records[19] as Record<string, unknown>;
    const after = await (
      await get(
        `${BASE}/Property?$filter=${encodeURIComponent(`ModificationTimestamp gt ${String(mid["ModificationTimestamp"])}`)}&$top=1000`,
        t,
      )
    ).json<Page>();
    expect(after.value.map((r) => r["ListingKey"]).sort()).toEqual(
      records
        .slice(20)
        .map((r) => r["ListingKey"])
        .sort(),
    );
    const one = await (
      await get(`${BASE}/Property?$filter=${encodeURIComponent(`ListingKey eq '${String(mid["ListingKey"])}'`)}`, t)
    ).json<Page>();
    expect(one.value).toEqual([mid]);
    await sendJson("/_sandbox/reso/change", { action: "status", keys: [String(mid["ListingKey"])] });
    for (const lit of ["'Pending'", "org.reso.metadata.enums.StandardStatus'Pending'"]) {
      const pending = await (await get(`${BASE}/Property?$filter=${encodeURIComponent(`StandardStatus eq ${lit}`)}`, t)).json<Page>();
      expect(pending.value.map((r) => r["ListingKey"])).toEqual([mid["ListingKey"]]);
    }
  });

  it("a change moves a listing Active → Pending → Closed with a newer ModificationTimestamp; a delete takes it out of the feed", async () => {
    const t = await token();
    const [first] = (await (await get(`${BASE}/Property?$top=1`, t)).json<Page>()).value;
    const key = String(first?.["ListingKey"]);
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await (await sendJson("/_sandbox/reso/change", { action: "status", keys: [key] })).json<{
        changed: Array<Record<string, unknown>>;
      }>();
      seen.push(String(r.changed[0]?.["StandardStatus"]));
    }
    expect(seen).toEqual(["Pending", "Closed"]);
    const closed = await (await get(`${BASE}/Property('${key}')`, t)).json<Record<string, unknown>>();
    expect(closed["ClosePrice"]).toBe(first?.["ListPrice"]);
    expect(Date.parse(String(closed["ModificationTimestamp"]))).toBeGreaterThan(Date.parse(String(first?.["ModificationTimestamp"])));
    await sendJson("/_sandbox/reso/change", { action: "delete", keys: [key] });
    const gone = await get(`${BASE}/Property('${key}')`, t);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: { code: "NotFound", message: expect.any(String) } });
  });

  it("answers OData error bodies: 401 without a token, 400 for a filter it cannot run, 429 past its limit", async () => {
    const none = await sb(`${BASE}/Property`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { code: "Unauthorized", message: expect.any(String) } });
    const t = await token();
    const bad = await get(`${BASE}/Property?$filter=${encodeURIComponent("NoSuchField eq 1")}`, t);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BadRequest");
    await sendJson("/_sandbox/reso/settings", { rateLimit: { limit: 2, windowSeconds: 60 } }, "PUT");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`${BASE}/Property?$top=1`, t)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("accepts the MLS-issued static bearer token as well as client-credentials tokens", async () => {
    expect((await get(`${BASE}/Property?$top=1`, env.RESO_BEARER_TOKEN)).status).toBe(200);
    expect((await get(`${BASE}/Property?$top=1`, "not-a-token")).status).toBe(401);
  });

  it("serves $metadata with RESO names and types, and $select keys-only pages", async () => {
    const t = await token();
    const xml = await (await get(`${BASE}/$metadata`, t)).text();
    expect(xml).toContain('<EntitySet Name="Property" EntityType="org.reso.metadata.Property"/>');
    expect(xml).toContain('<Property Name="StandardStatus" Type="org.reso.metadata.enums.StandardStatus"/>');
    expect(xml).toContain('<Property Name="ListPrice" Type="Edm.Decimal"');
    const keys = await (await get(`${BASE}/Property?$select=ListingKey&$top=5`, t)).json<Page>();
    expect(keys.value.every((r) => Object.keys(r).join() === "ListingKey")).toBe(true);
    expect(keys["@odata.nextLink"]).toContain("$skiptoken=");
  });

  it("logs every API request it served, with the status it answered", async () => {
    const t = await token();
    await get(`${BASE}/Property?$top=2`, t);
    await get(`${BASE}/Member?$top=2`, t);
    const log = await (await sb("/_sandbox/reso/requests")).json<{ requests: Array<{ url: string; status: number }> }>();
    expect(log.requests.map((r) => [r.url, r.status])).toEqual([
      ["/reso/odata/Property?$top=2", 200],
      ["/reso/odata/Member?$top=2", 200],
    ]);
  });
});
