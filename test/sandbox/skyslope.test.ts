import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { b64, hmac, reset, sb, sendJson, setSettings } from "./helpers";

async function loginHeaders(opts: { secret?: string; timestamp?: string } = {}): Promise<Record<string, string>> {
  const timestamp = opts.timestamp ?? new Date().toISOString();
  const sig = b64(
    await hmac(
      "SHA-256",
      opts.secret ?? env.SKYSLOPE_ACCESS_SECRET,
      `${env.SKYSLOPE_CLIENT_ID}:${env.SKYSLOPE_CLIENT_SECRET}:${timestamp}`,
    ),
  );
  return { "content-type": "application/json", Timestamp: timestamp, Authorization: `SS ${env.SKYSLOPE_ACCESS_KEY}:${sig}` };
}

async function login(): Promise<string> {
  const res = await sb("/skyslope/auth/login", {
    method: "POST",
    headers: await loginHeaders(),
    body: JSON.stringify({ clientID: env.SKYSLOPE_CLIENT_ID, clientSecret: env.SKYSLOPE_CLIENT_SECRET }),
  });
  expect(res.status).toBe(200);
  const body = await res.json<{ Session: string; Expiration: string }>();
  expect(Date.parse(body.Expiration)).toBeGreaterThan(Date.now());
  return body.Session;
}

const api = (session: string, path: string, body?: unknown, method?: string) =>
  sb(`/skyslope/api${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { Session: session, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function saleInput(session: string, n = 1): Promise<Record<string, unknown>> {
  const offices = await (await api(session, "/offices")).json<{ value: { offices: Array<{ officeGuid: string }> } }>();
  const officeGuid = offices.value.offices[0]?.officeGuid ?? "";
  const users = await (await api(session, `/users?officeGuid=${officeGuid}`)).json<{ value: { users: Array<{ userGuid: string }> } }>();
  const types = await (await api(session, `/offices/${officeGuid}/checklisttypes?transactionType=Sale`)).json<{
    value: { checklistTypes: Array<{ checklistTypeId: number }> };
  }>();
  return {
    mlsNumber: `22222${n}`,
    officeGuid,
    agentGuid: users.value.users[0]?.userGuid,
    checklistTypeId: types.value.checklistTypes[0]?.checklistTypeId,
    contractAcceptanceDate: "2026-05-01",
    escrowClosingDate: "2026-06-01",
    salePrice: 333000,
    property: { streetNumber: `${100 + n}`, streetAddress: "Main St.", city: "Sacramento", state: "CA", zip: "95814" },
  };
}

beforeEach(() => reset());

describe("SkySlope auth", () => {
  it("refuses a bad HMAC, a stale timestamp, and requests without a session", async () => {
    const body = JSON.stringify({ clientID: env.SKYSLOPE_CLIENT_ID, clientSecret: env.SKYSLOPE_CLIENT_SECRET });
    expect((await sb("/skyslope/auth/login", { method: "POST", headers: await loginHeaders({ secret: "wrong" }), body })).status).toBe(401);
    const old = new Date(Date.now() - 3_600_000).toISOString();
    expect((await sb("/skyslope/auth/login", { method: "POST", headers: await loginHeaders({ timestamp: old }), body })).status).toBe(401);
    expect((await api("not-a-session", "/offices")).status).toBe(401);
  });

  it("expires sessions after their lifetime", async () => {
    await setSettings("skyslope", { tokenLifetimeSeconds: 120 });
    const session = await login();
    expect((await api(session, "/offices")).status).toBe(200);
    await sendJson("/_sandbox/skyslope/clock", { advanceMs: 121_000 });
    expect((await api(session, "/offices")).status).toBe(401);
  });
});

describe("SkySlope files", () => {
  it("creates a sale (saleGuid in value, links beside it), reads and updates it, adds a buyer", async () => {
    const session = await login();
    const created = await api(session, "/files/sales", await saleInput(session));
    expect(created.status).toBe(200);
    const body = await created.json<{ value: { saleGuid: string }; links: Array<{ rel: string }> }>();
    const value = body.value;
    expect(body.links.map((l) => l.rel)).toEqual(["sale", "sale:updateForm", "sale", "SkySlope"]);
    expect((await api(session, "/files/sales", { property: {} })).status).toBe(400);
    const put = await api(session, `/files/sales/${value.saleGuid}`, { salePrice: 340000, escrowNumber: "E-9" }, "PUT");
    expect((await put.json<{ value: { sale: { salePrice: number; escrowNumber: string } } }>()).value.sale).toMatchObject({
      salePrice: 340000,
      escrowNumber: "E-9",
    });
    expect(
      (await api(session, `/files/sales/${value.saleGuid}/buyerContact`, { firstName: "Ana", lastName: "Ruiz", email: "ana@example.com" }))
        .status,
    ).toBe(200);
    const got = await (await api(session, `/files/sales/${value.saleGuid}`)).json<{
      value: { sale: { buyers: Array<{ firstName: string }>; status: string } };
    }>();
    expect(got.value.sale.buyers.map((b) => b.firstName)).toEqual(["Ana"]);
    expect(got.value.sale.status).toBe("Incomplete");
    expect((await api(session, "/files/sales/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("pages sales by pageNumber until there is no rel next link", async () => {
    const session = await login();
    const input = await saleInput(session);
    for (let i = 0; i < 27; i++) await api(session, "/files/sales", { ...input, mlsNumber: String(i) });
    const seen: string[] = [];
    let pages = 0;
    for (let page = 1; ; page++) {
      const body = await (await api(session, `/files/sales?pageNumber=${page}`)).json<{
        value: { sales: Array<{ saleGuid: string }> };
        links: Array<{ rel: string }>;
      }>();
      seen.push(...body.value.sales.map((s) => s.saleGuid));
      pages++;
      if (!body.links.some((l) => l.rel === "next")) break;
    }
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(27);
  });

  it("exports sales and listings together, filtered by modifiedAfter", async () => {
    const session = await login();
    const sale = await saleInput(session);
    await api(session, "/files/sales", sale);
    const types = await (await api(session, `/offices/${String(sale["officeGuid"])}/checklisttypes?transactionType=Listing`)).json<{
      value: { checklistTypes: Array<{ checklistTypeId: number }> };
    }>();
    expect(
      (
        await api(session, "/files/listings", {
          ...sale,
          checklistTypeId: types.value.checklistTypes[0]?.checklistTypeId,
          listingPrice: 350000,
        })
      ).status,
    ).toBe(200);
    const all = await (await api(session, "/files")).json<Array<{ objectType: string }>>();
    expect(all.map((f) => f.objectType).sort()).toEqual(["listing", "sale"]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await (await api(session, `/files?modifiedAfter=${encodeURIComponent(future)}`)).json<unknown[]>();
    expect(none).toHaveLength(0);
  });
});
