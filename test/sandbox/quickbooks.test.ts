import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/verify";
import { b64, drain, hmac, reset, sb, sendJson, setSettings } from "./helpers";

const REDIRECT = "http://127.0.0.1:8787/oauth/quickbooks/callback";
const CLIENT = () => `Basic ${btoa(`${env.QUICKBOOKS_CLIENT_ID}:${env.QUICKBOOKS_CLIENT_SECRET}`)}`;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

async function connect(): Promise<{ tokens: Tokens; realmId: string }> {
  const q = new URLSearchParams({
    client_id: env.QUICKBOOKS_CLIENT_ID,
    response_type: "code",
    scope: "com.intuit.quickbooks.accounting",
    redirect_uri: REDIRECT,
    state: "st",
  });
  const auth = await sb(`/quickbooks/connect/oauth2?${q}`, { redirect: "manual" });
  expect(auth.status).toBe(302);
  const back = new URL(auth.headers.get("location") ?? "");
  expect(back.searchParams.get("state")).toBe("st");
  const realmId = back.searchParams.get("realmId") ?? "";
  const res = await sb("/quickbooks/oauth2/v1/tokens/bearer", {
    method: "POST",
    headers: { ...FORM, authorization: CLIENT() },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: back.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT,
    }).toString(),
  });
  expect(res.status).toBe(200);
  return { tokens: await res.json<Tokens>(), realmId };
}

function refresh(token: string): Promise<Response> {
  return sb("/quickbooks/oauth2/v1/tokens/bearer", {
    method: "POST",
    headers: { ...FORM, authorization: CLIENT() },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token }).toString(),
  });
}

function qbo(token: string, realm: string, path: string, body?: unknown): Promise<Response> {
  const sep = path.includes("?") ? "&" : "?";
  return sb(`/quickbooks/v3/company/${realm}/${path}${sep}minorversion=75`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, accept: "application/json", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const query = (token: string, realm: string, q: string) => qbo(token, realm, `query?query=${encodeURIComponent(q)}`);

interface Fault {
  Fault: { Error: Array<{ Message: string; Detail: string; code: string }>; type: string };
}

beforeEach(() => reset());

describe("QuickBooks OAuth", () => {
  it("rotates refresh tokens: the old one works until the new one is used once", async () => {
    const { tokens, realmId } = await connect();
    expect(realmId).toBe(env.QUICKBOOKS_REALM_ID);
    expect(tokens.expires_in).toBe(3600);
    const r1 = await (await refresh(tokens.refresh_token)).json<Tokens>();
    expect(r1.refresh_token).not.toBe(tokens.refresh_token);
    // A retry with the old token (the new one not used yet) still succeeds and hands back the same new token.
    const again = await refresh(tokens.refresh_token);
    expect(again.status).toBe(200);
    expect((await again.json<Tokens>()).refresh_token).toBe(r1.refresh_token);
    const r2 = await refresh(r1.refresh_token);
    expect(r2.status).toBe(200);
    const dead = await refresh(tokens.refresh_token);
    expect(dead.status).toBe(400);
    expect(await dead.json()).toEqual({ error: "invalid_grant" });
    expect((await refresh("RT1-forged")).status).toBe(400);
  });

  it("answers 401 for a missing or expired token, and carries intuit_tid", async () => {
    await setSettings("quickbooks", { tokenLifetimeSeconds: 30 });
    const { tokens, realmId } = await connect();
    const ok = await query(tokens.access_token, realmId, "select * from Customer");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("intuit_tid")).toMatch(/^1-/);
    expect((await query("nope", realmId, "select * from Customer")).status).toBe(401);
    await sendJson("/_sandbox/quickbooks/clock", { advanceMs: 31_000 });
    const expired = await query(tokens.access_token, realmId, "select * from Customer");
    expect(expired.status).toBe(401);
    expect((await expired.json<Fault>()).Fault.Error[0]?.code).toBe("3200");
  });
});

describe("QuickBooks entities", () => {
  it("finds customers by DisplayName and keeps DisplayName unique across customers and vendors", async () => {
    const { tokens: t, realmId: r } = await connect();
    const created = await qbo(t.access_token, r, "customer", {
      DisplayName: "Ana O'Brien",
      PrimaryEmailAddr: { Address: "ana@example.com" },
    });
    expect(created.status).toBe(200);
    const customer = (await created.json<{ Customer: { Id: string; SyncToken: string } }>()).Customer;
    expect(customer.SyncToken).toBe("0");
    const found = await (await query(t.access_token, r, "select * from Customer where DisplayName = 'Ana O\\'Brien'")).json<{
      QueryResponse: { Customer?: Array<{ Id: string }> };
    }>();
    expect(found.QueryResponse.Customer?.map((c) => c.Id)).toEqual([customer.Id]);
    const none = await (await query(t.access_token, r, "select * from Customer where DisplayName = 'Nobody'")).json<{
      QueryResponse: Record<string, unknown>;
    }>();
    expect(none.QueryResponse).toEqual({});
    const dup = await qbo(t.access_token, r, "vendor", { DisplayName: "Ana O'Brien" });
    expect(dup.status).toBe(400);
    expect((await dup.json<Fault>()).Fault.Error[0]?.code).toBe("6240");
    const bad = await query(t.access_token, r, "select * from Customer where DisplayName = 'x' OR Id = '1'");
    expect(bad.status).toBe(400);
  });

  it("pages queries with STARTPOSITION and MAXRESULTS and counts", async () => {
    const { tokens: t, realmId: r } = await connect();
    for (let i = 0; i < 5; i++) await qbo(t.access_token, r, "customer", { DisplayName: `Agent ${i}` });
    const page = await (await query(t.access_token, r, "select * from Customer STARTPOSITION 3 MAXRESULTS 2")).json<{
      QueryResponse: { Customer: Array<{ DisplayName: string }>; startPosition: number };
    }>();
    expect(page.QueryResponse.Customer.map((c) => c.DisplayName)).toEqual(["Agent 2", "Agent 3"]);
    expect(page.QueryResponse.startPosition).toBe(3);
    const count = await (await query(t.access_token, r, "select count(*) from Customer")).json<{ QueryResponse: { totalCount: number } }>();
    expect(count.QueryResponse.totalCount).toBe(5);
  });

  it("replays the first response for a repeated requestid and creates nothing new", async () => {
    const { tokens: t, realmId: r } = await connect();
    const first = await qbo(t.access_token, r, "customer?requestid=abc-1", { DisplayName: "Marcus Lee" });
    const second = await qbo(t.access_token, r, "customer?requestid=abc-1", { DisplayName: "Marcus Lee" });
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());
    const count = await (await query(t.access_token, r, "select count(*) from Customer")).json<{ QueryResponse: { totalCount: number } }>();
    expect(count.QueryResponse.totalCount).toBe(1);
    expect((await qbo(t.access_token, r, "customer?requestid=abc-2", { DisplayName: "Marcus Lee" })).status).toBe(400);
  });

  it("creates invoices and bills with totals, and updates only with the current SyncToken", async () => {
    const { tokens: t, realmId: r } = await connect();
    const cust = (await (await qbo(t.access_token, r, "customer", { DisplayName: "Ana Ruiz" })).json<{ Customer: { Id: string } }>())
      .Customer;
    expect((await qbo(t.access_token, r, "invoice", { CustomerRef: { value: cust.Id } })).status).toBe(400);
    expect(
      (
        await qbo(t.access_token, r, "invoice", {
          CustomerRef: { value: "999" },
          Line: [{ DetailType: "SalesItemLineDetail", Amount: 1, SalesItemLineDetail: { ItemRef: { value: "1" } } }],
        })
      ).status,
    ).toBe(400);
    const inv = await qbo(t.access_token, r, "invoice", {
      CustomerRef: { value: cust.Id },
      Line: [
        {
          DetailType: "SalesItemLineDetail",
          Amount: 13500,
          Description: "Commission - 12 Oak Ln",
          SalesItemLineDetail: { ItemRef: { value: "1" }, Qty: 1, UnitPrice: 13500 },
        },
      ],
    });
    const invoice = (await inv.json<{ Invoice: { Id: string; SyncToken: string; TotalAmt: number; Balance: number; DocNumber: string } }>())
      .Invoice;
    expect(invoice).toMatchObject({ TotalAmt: 13500, Balance: 13500 });
    expect(invoice.DocNumber).toMatch(/^\d+$/);
    const byDoc = await (await query(t.access_token, r, `select * from Invoice where DocNumber = '${invoice.DocNumber}'`)).json<{
      QueryResponse: { Invoice: Array<{ Id: string }> };
    }>();
    expect(byDoc.QueryResponse.Invoice[0]?.Id).toBe(invoice.Id);
    const stale = await qbo(t.access_token, r, "invoice", { Id: invoice.Id, SyncToken: "7", sparse: true, DueDate: "2030-01-01" });
    expect((await stale.json<Fault>()).Fault.Error[0]?.code).toBe("5010");
    const upd = await qbo(t.access_token, r, "invoice", {
      Id: invoice.Id,
      SyncToken: invoice.SyncToken,
      sparse: true,
      DueDate: "2030-01-01",
    });
    expect((await upd.json<{ Invoice: { SyncToken: string; DueDate: string; TotalAmt: number } }>()).Invoice).toMatchObject({
      SyncToken: "1",
      DueDate: "2030-01-01",
      TotalAmt: 13500,
    });
    const vendor = (
      await (
        await qbo(t.access_token, r, "vendor", { DisplayName: "Alex Kim (agent)", Vendor1099: true })
      ).json<{ Vendor: { Id: string } }>()
    ).Vendor;
    const bill = await qbo(t.access_token, r, "bill", {
      VendorRef: { value: vendor.Id },
      Line: [{ DetailType: "AccountBasedExpenseLineDetail", Amount: 8100, AccountBasedExpenseLineDetail: { AccountRef: { value: "7" } } }],
    });
    expect((await bill.json<{ Bill: { TotalAmt: number } }>()).Bill.TotalAmt).toBe(8100);
  });

  it("refuses minorversion below 75 with a Fault", async () => {
    const { tokens: t, realmId: r } = await connect();
    const res = await sb(`/quickbooks/v3/company/${r}/query?query=select%20*%20from%20Customer&minorversion=65`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(res.status).toBe(400);
    expect((await res.json<Fault>()).Fault.type).toBe("ValidationFault");
  });

  it("throttles per realm with 429 Faults", async () => {
    await setSettings("quickbooks", { rateLimit: { limit: 3, windowSeconds: 60 } });
    const { tokens: t, realmId: r } = await connect();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await query(t.access_token, r, "select * from Customer")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("lists changes with cdc, deletions included", async () => {
    const { tokens: t, realmId: r } = await connect();
    const since = new Date(Date.now() - 60_000).toISOString();
    await qbo(t.access_token, r, "customer", { DisplayName: "Ana Ruiz" });
    const cdc = await (await qbo(t.access_token, r, `cdc?entities=Customer,Invoice&changedSince=${encodeURIComponent(since)}`)).json<{
      CDCResponse: Array<{ QueryResponse: Array<Record<string, unknown[]>> }>;
    }>();
    const [customers, invoices] = cdc.CDCResponse[0]?.QueryResponse ?? [];
    expect(customers?.["Customer"]).toHaveLength(1);
    expect(invoices?.["Invoice"]).toHaveLength(0);
  });
});

describe("QuickBooks webhooks", () => {
  it("voids an invoice as Intuit describes: amounts and quantities zeroed, Voided before its note, a Void webhook", async () => {
    const { tokens: t, realmId: r } = await connect();
    const cust = (await (await qbo(t.access_token, r, "customer", { DisplayName: "Vi Void" })).json<{ Customer: { Id: string } }>())
      .Customer;
    const line = {
      DetailType: "SalesItemLineDetail",
      Amount: 900,
      SalesItemLineDetail: { ItemRef: { value: "1" }, Qty: 1, UnitPrice: 900 },
    };
    type Inv = { Id: string; SyncToken: string; TotalAmt: number; Balance: number; PrivateNote?: string; Line: Array<typeof line> };
    const inv = (
      await (
        await qbo(t.access_token, r, "invoice", { CustomerRef: { value: cust.Id }, PrivateNote: "dealwire d1", Line: [line] })
      ).json<{
        Invoice: Inv;
      }>()
    ).Invoice;
    expect((await qbo(t.access_token, r, "invoice?operation=void", { Id: inv.Id, SyncToken: "7" })).status).toBe(400);
    const res = await qbo(t.access_token, r, "invoice?operation=void", { Id: inv.Id, SyncToken: inv.SyncToken });
    expect(res.status).toBe(200);
    const voided = (await res.json<{ Invoice: Inv }>()).Invoice;
    expect(voided).toMatchObject({ Id: inv.Id, TotalAmt: 0, Balance: 0, PrivateNote: "Voided dealwire d1" });
    expect(voided.Line[0]).toMatchObject({ Amount: 0, SalesItemLineDetail: { Qty: 0 } });
    expect(Number(voided.SyncToken)).toBe(Number(inv.SyncToken) + 1);
    const hooks = await drain("quickbooks");
    expect(JSON.parse(hooks.at(-1)?.body ?? "{}")).toMatchObject({
      eventNotifications: [{ realmId: r, dataChangeEvent: { entities: [{ name: "Invoice", id: inv.Id, operation: "Void" }] } }],
    });
  });

  it("signs entity changes with intuit-signature, legacy or CloudEvents", async () => {
    const { tokens: t, realmId: r } = await connect();
    await qbo(t.access_token, r, "customer", { DisplayName: "Ana Ruiz" });
    await setSettings("quickbooks", { webhookFormat: "cloudevents" });
    await qbo(t.access_token, r, "customer", { DisplayName: "Marcus Lee" });
    const [legacy, cloud] = await drain("quickbooks");
    expect(JSON.parse(legacy?.body ?? "{}")).toMatchObject({
      eventNotifications: [{ realmId: r, dataChangeEvent: { entities: [{ name: "Customer", id: "58", operation: "Create" }] } }],
    });
    expect(JSON.parse(cloud?.body ?? "[]")).toMatchObject([
      { specversion: "1.0", type: "qbo.customer.created.v1", intuitentityid: "59", intuitaccountid: r },
    ]);
    for (const d of [legacy, cloud]) {
      expect(d?.headers["intuit-signature"]).toBe(b64(await hmac("SHA-256", env.QUICKBOOKS_VERIFIER_TOKEN, d?.body ?? "")));
      const verdict = await verifyWebhook({
        scheme: "quickbooks",
        secret: env.WEBHOOK_SECRET_QUICKBOOKS,
        headers: d?.headers ?? {},
        body: d?.body ?? "",
        now: Math.floor(Date.now() / 1000),
      });
      expect(verdict.ok).toBe(true);
    }
  });
});
