import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { api, hub, ORIGIN } from "../ops/helpers";
import { drain, mlsControl, mlsRequests, mlsSetup, MLS_ID } from "./helpers";

type Rec = Record<string, string | number | null>;

interface ListingOut {
  listingKey: string;
  listAgent: string | null;
  listOffice: string | null;
  listAgentMember: { key: string; name: string | null; email: string | null; phone: string | null } | null;
  listOfficeRecord: { key: string; name: string | null; phone: string | null } | null;
}

async function listingsApi(): Promise<ListingOut[]> {
  const res = await api("/listings?limit=200");
  expect(res.status).toBe(200);
  return (await res.json<{ listings: ListingOut[] }>()).listings;
}

async function sandboxRecords(resource: "Member" | "Office"): Promise<Rec[]> {
  const t = await fetch("http://127.0.0.1:8788/reso/odata/" + resource + "?$top=1000", {
    headers: { authorization: `Bearer ${env.RESO_BEARER_TOKEN}` },
  });
  return (await t.json<{ value: Rec[] }>()).value;
}

describe("the list agents and offices replicated from the MLS's Member and Office resources", () => {
  const s = mlsSetup({ resources: ["Property", "Member", "Office"] });
  const config = () => brokerageConfig(s.appEnv);

  beforeAll(async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 40 });
  });

  it("a connection naming Member and Office replicates them like Property, and each listing shows its agent's and office's details", async () => {
    expect(await scheduleMls(s.appEnv, config(), Date.now())).toEqual(["Property:started:1", "Member:started:1", "Office:started:1"]);
    await drain(s);
    const [members, offices] = await Promise.all([sandboxRecords("Member"), sandboxRecords("Office")]);
    const held = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM mls_members WHERE connection = ?1) AS m, (SELECT COUNT(*) FROM mls_offices WHERE connection = ?1) AS o",
    )
      .bind(MLS_ID)
      .first<{ m: number; o: number }>();
    expect(held).toEqual({ m: members.length, o: offices.length });
    const runs = await env.DB.prepare(
      "SELECT job, phase, status, records FROM listing_sync WHERE connection = ?1 AND job IN ('Member', 'Office') ORDER BY job",
    )
      .bind(MLS_ID)
      .all();
    expect(runs.results).toEqual([
      { job: "Member", phase: "incremental", status: "idle", records: members.length },
      { job: "Office", phase: "incremental", status: "idle", records: offices.length },
    ]);

    const listing = (await listingsApi())[0] as ListingOut;
    const row = await env.DB.prepare("SELECT list_agent_key, list_office_key FROM listings WHERE listing_key = ?1")
      .bind(listing.listingKey)
      .first<{ list_agent_key: string; list_office_key: string }>();
    const member = members.find((m) => m["MemberKey"] === row?.list_agent_key) as Rec;
    const office = offices.find((o) => o["OfficeKey"] === row?.list_office_key) as Rec;
    expect(listing.listAgentMember).toMatchObject({
      key: member["MemberKey"],
      name: member["MemberFullName"],
      email: member["MemberEmail"],
      phone: member["MemberPreferredPhone"],
    });
    expect(listing.listOfficeRecord).toMatchObject({ key: office["OfficeKey"], name: office["OfficeName"], phone: office["OfficePhone"] });

    const login = await hub.request(
      `${ORIGIN}/ops/login`,
      {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: env.OPS_TOKEN }),
      },
      env,
    );
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const html = await (await hub.request(`${ORIGIN}/ops/listings`, { headers: { cookie } }, env)).text();
    expect(html).toContain(String(member["MemberEmail"]));
    expect(html).toContain(String(office["OfficePhone"]));
  });

  it("a member renamed in the MLS is read by the next incremental poll alone, and the listing shows the new name", async () => {
    const listing = (await listingsApi())[0] as ListingOut;
    const key = listing.listAgentMember?.key ?? "";
    const changed = await mlsControl<{ changed: Rec[] }>("change", { action: "rename", resource: "Member", keys: [key] });
    const newName = String(changed.changed[0]?.["MemberFullName"]);
    expect(newName).not.toBe(listing.listAgent);
    const before = (await mlsRequests()).length;
    const started = await scheduleMls(s.appEnv, config(), Date.now() + 6 * 60_000);
    expect(started).toEqual(expect.arrayContaining([expect.stringMatching(/^Member:started:/), expect.stringMatching(/^Office:started:/)]));
    await drain(s);
    const memberCalls = (await mlsRequests()).slice(before).filter((r) => r.url.startsWith("/reso/odata/Member"));
    // From the cursor, then from the rename's stamp (read again), then past it: an empty answer.
    expect(memberCalls).toHaveLength(3);
    expect(decodeURIComponent(memberCalls[0]?.url ?? "").replace(/\+/g, " ")).toContain("$filter=ModificationTimestamp ge ");
    // The run counts the rename alone, not the records it read again at the two stamps.
    const run = await env.DB.prepare("SELECT records FROM listing_sync WHERE connection = ?1 AND job = 'Member'").bind(MLS_ID).first();
    expect(run).toEqual({ records: 1 });
    const after = (await listingsApi()).find((l) => l.listingKey === listing.listingKey);
    expect(after?.listAgent).toBe(newName);
    expect(after?.listAgentMember?.name).toBe(newName);
  });

  it("a member stamped ahead of the hub's clock does not make the next polls skip the renames before that time", async () => {
    const keys = (await sandboxRecords("Member")).map((m) => String(m["MemberKey"]));
    const [early, later] = keys.slice(-2) as [string, string];
    const t = Date.now() + 20 * 60_000;
    await mlsControl("change", {
      action: "rename",
      resource: "Member",
      keys: [early],
      at: new Date(Date.now() + 60 * 60_000).toISOString(),
    });
    await scheduleMls(s.appEnv, config(), t);
    await drain(s);
    await new Promise((r) => setTimeout(r, 1_100));
    const changed = await mlsControl<{ changed: Rec[] }>("change", {
      action: "rename",
      resource: "Member",
      keys: [later],
      at: new Date().toISOString(),
    });
    await scheduleMls(s.appEnv, config(), t + 6 * 60_000);
    await drain(s);
    const held = await env.DB.prepare("SELECT full_name FROM mls_members WHERE member_key = ?1").bind(later).first();
    expect(held).toEqual({ full_name: changed.changed[0]?.["MemberFullName"] });
  });

  it("a connection may not leave Property out of its resources", () => {
    const bad = mlsSetup({ resources: ["Member"] });
    expect(() => brokerageConfig(bad.appEnv)).toThrow(/resources must include Property/);
  });
});

describe("members renamed together on an MLS that orders one timestamp's records differently in each answer", () => {
  const s = mlsSetup({ resources: ["Property", "Member", "Office"], pageSize: 5 });
  afterAll(() => setSettings("reso", { serverPaging: true, tiesVary: false }));

  it("are each read, though they share one timestamp across more than two pages", async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 40 });
    await setSettings("reso", { serverPaging: false, tiesVary: true });
    for (const table of ["listing_sync", "listings", "mls_members", "mls_offices"])
      await env.DB.prepare(`DELETE FROM ${table} WHERE connection = ?1`).bind(MLS_ID).run();
    const t0 = Date.now();
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), t0);
    await drain(s);
    const keys = (await sandboxRecords("Member")).map((m) => String(m["MemberKey"]));
    expect(keys.length).toBeGreaterThan(10);
    const { changed } = await mlsControl<{ changed: Rec[] }>("change", {
      action: "rename",
      resource: "Member",
      keys,
      at: new Date(Date.now() - 100).toISOString(),
    });
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), t0 + 6 * 60_000);
    await drain(s);
    const { results } = await env.DB.prepare(
      "SELECT member_key AS key, full_name AS name FROM mls_members WHERE connection = ?1 ORDER BY member_key",
    )
      .bind(MLS_ID)
      .all();
    expect(results).toEqual(
      changed.map((m) => ({ key: m["MemberKey"], name: m["MemberFullName"] })).sort((a, b) => (String(a.key) < String(b.key) ? -1 : 1)),
    );
  });
});
