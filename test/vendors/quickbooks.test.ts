import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { QuickBooksAccounting } from "../../src/vendors/quickbooks/accounting";
import { QuickBooksClient } from "../../src/vendors/quickbooks/client";
import { quickBooksPollers } from "../../src/vendors/quickbooks/poll";
import { commissionDocument, customerBody, docNumberFor, requestIdFor } from "../../src/vendors/quickbooks/to-vendor";
import { connectFlow, counters, envWith, expireAtHub, kind, open, setSettings, sleep, storedCredential, uid } from "./support";

interface SandboxRefresh {
  token: string;
  parent: string | null;
  revoked: boolean;
}

interface QboRecord {
  Id: string;
  DocNumber?: string;
  DisplayName?: string;
  TotalAmt?: number;
}

/** A copy of quickbooks:main under a new id (same company, same limits). */
const copy = (id: string) => envWith([{ from: "quickbooks:main", id }]);

/** A QuickBooks connection of its own (a copy of quickbooks:main), connected through the real flow. */
async function connectNew(): Promise<{ id: string; appEnv: Env }> {
  const id = `quickbooks:t${uid()}`;
  const appEnv = copy(id);
  const flow = await connectFlow("quickbooks", id, appEnv);
  expect(flow.done.status).toBe(200);
  return { id, appEnv };
}

/**
 * QuickBooks limits a company (realm), and the hub's gate is per connection: one company, one
 * connection. The tests share one connection so their calls share one budget, as in production.
 */
let shared: Promise<{ id: string; appEnv: Env }> | undefined;
const connected = () => (shared ??= connectNew());

const qbo = (c: { id: string; appEnv: Env }, overrides = {}) => new QuickBooksClient(open(c.id, overrides, c.appEnv));

/**
 * Records a commission, then again as a retry after a crash would: the repeat must answer with the
 * same documents. Returns the first answer.
 */
async function recordedTwice(c: { id: string; appEnv: Env }, input: Parameters<QuickBooksAccounting["recordCommission"]>[0]) {
  const first = await new QuickBooksAccounting(open(c.id, {}, c.appEnv)).recordCommission(input);
  if (!first.ok) throw new Error(first.error.message);
  const again = await new QuickBooksAccounting(open(c.id, {}, c.appEnv)).recordCommission(input);
  expect(again).toEqual(first);
  return first;
}

/** Each invoice's LastUpdatedTime (epoch ms), as a query reads it. */
async function invoiceStamps(c: { id: string; appEnv: Env }, ids: string[]): Promise<Map<string, number>> {
  const r = await qbo(c).query(`select * from Invoice where Id in (${ids.map((id) => `'${id}'`).join(", ")})`);
  if (!r.ok) throw new Error(r.error.message);
  const list = (r.value["Invoice"] ?? []) as Array<{ Id: string; MetaData: { LastUpdatedTime: string } }>;
  return new Map(list.map((x) => [x.Id, Date.parse(x.MetaData.LastUpdatedTime)]));
}

/** A $5,000 commission on a deal, billed as an invoice, to a customer of its own. */
const commission = (reference: string) => ({
  reference,
  customerName: `Numbering ${uid()}`,
  description: "Commission - 9 Elm St",
  grossCents: 500_000,
  kind: "invoice" as const,
  itemRef: "1",
  payouts: [],
  expenseAccountRef: "7",
});

afterEach(async () => {
  await setSettings("quickbooks", { rateLimits: {}, stormUntil: null, denyOAuth: false, customTxnNumbers: false, qboCdcMax: null });
});

describe("QuickBooks connect flow", () => {
  it("connects end to end and keeps the company (realmId) with the credential", async () => {
    const id = `quickbooks:t${uid()}`;
    const appEnv = copy(id);
    const flow = await connectFlow("quickbooks", id, appEnv);
    const authorize = new URL(flow.start.headers.get("location") ?? "");
    expect(`${authorize.origin}${authorize.pathname}`).toBe(env.QUICKBOOKS_AUTH_URL);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: env.QUICKBOOKS_CLIENT_ID,
      response_type: "code",
      scope: "com.intuit.quickbooks.accounting",
      redirect_uri: `${env.HUB_PUBLIC_URL}/connect/quickbooks/callback`,
    });
    expect(flow.done.status).toBe(200);
    expect(await flow.done.json()).toEqual({ status: "connected", vendor: "quickbooks", connection: id, realmId: env.QUICKBOOKS_REALM_ID });
    expect((await storedCredential(id))?.meta).toEqual({ realmId: env.QUICKBOOKS_REALM_ID });
    expect(await qbo({ id, appEnv }).ping()).toEqual({ ok: true, value: true });
    shared = Promise.resolve({ id, appEnv }); // later tests spend this connection's budget
  });

  it("refuses a company other than the configured one, and stores nothing", async () => {
    const id = `quickbooks:t${uid()}`;
    const appEnv = copy(id);
    const flow = await connectFlow("quickbooks", id, appEnv, (u) => u.searchParams.set("realmId", "4620816365000000"));
    expect(flow.done.status).toBe(400);
    const problem = await flow.done.json<{ code: string; detail: string }>();
    expect(problem.code).toBe("bad_request");
    expect(problem.detail).toMatch(/4620816365000000/);
    expect(await storedCredential(id)).toBeNull();
  });
});

describe("QuickBooks tokens", () => {
  it("10 concurrent calls after expiry: one refresh, all succeed, the rotated refresh token is stored and used next time", async () => {
    const c = await connected();
    const first = await expireAtHub(c.id);
    const before = (await kind<SandboxRefresh>("quickbooks", "accessToken")).length;

    const results = await Promise.all(Array.from({ length: 10 }, () => qbo(c).query("select * from Item")));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect((await kind("quickbooks", "accessToken")).length - before).toBe(1);

    const second = await storedCredential(c.id);
    const issued = await kind<SandboxRefresh>("quickbooks", "refreshToken");
    const child = issued.find((r) => r.parent === first.refreshToken);
    expect(child).toBeDefined();
    expect(second?.refreshToken).toBe(child?.token);
    expect(second?.meta).toEqual({ realmId: env.QUICKBOOKS_REALM_ID });

    // Next expiry refreshes with the newest token; using it retires the one before.
    await expireAtHub(c.id);
    expect((await qbo(c).ping()).ok).toBe(true);
    const third = await storedCredential(c.id);
    const after = await kind<SandboxRefresh>("quickbooks", "refreshToken");
    expect(after.find((r) => r.parent === second?.refreshToken)?.token).toBe(third?.refreshToken);
    expect(after.find((r) => r.token === first.refreshToken)?.revoked).toBe(true);
    // Callers take their permit before the token and send once it is renewed, later than their
    // grant; QuickBooks counts that late burst in the next second. Let it pass before other tests.
    await sleep(1_100);
  });
});

describe("QuickBooks writes", () => {
  it("the same requestid twice creates one invoice and answers with it both times", async () => {
    const c = await connected();
    const client = qbo(c);
    const name = `Requestid Test ${uid()}`;
    const customer = await client.createCustomer(customerBody({ name }), await requestIdFor(name, "customer"));
    if (!customer.ok) throw new Error(customer.error.message);
    const docNumber = await docNumberFor(name, "invoice");
    const body = commissionDocument({
      customerId: customer.value.Id,
      grossCents: 1_350_075,
      itemRef: "1",
      description: "Commission - 12 Oak Ln",
      docNumber,
    });
    const rid = await requestIdFor(name, "invoice");
    expect(rid.length).toBeLessThanOrEqual(50);
    const a = await client.createInvoice(body, rid);
    const b = await client.createInvoice(body, rid);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(b.value.Id).toBe(a.value.Id);
    expect(a.value.TotalAmt).toBe(13_500.75);
    const invoices = await kind<QboRecord>("quickbooks", "qbo:Invoice");
    expect(invoices.filter((i) => i.DocNumber === docNumber)).toHaveLength(1);
  });

  it("recording a commission twice (a retry after a crash) writes one customer, one invoice and one bill per agent", async () => {
    const c = await connected();
    const reference = `deal_${crypto.randomUUID()}`;
    const customerName = `O'Brien ${uid()}`;
    const input = {
      reference,
      customerName,
      customerEmail: "obrien@example.com",
      description: "Commission - 12 Oak Ln",
      grossCents: 1_275_000,
      kind: "invoice" as const,
      itemRef: "1",
      payouts: [
        { agentName: `Alex Kim ${uid()}`, amountCents: 765_000 },
        { agentName: `Jordan Patel ${uid()}`, amountCents: 0 },
      ],
      expenseAccountRef: "7",
    };
    const first = await recordedTwice(c, input);

    expect((await kind<QboRecord>("quickbooks", "qbo:Customer")).filter((x) => x.DisplayName === customerName)).toHaveLength(1);
    expect((await kind<QboRecord>("quickbooks", "qbo:Invoice")).filter((x) => x.Id === first.value.documentId)).toHaveLength(1);
    expect(first.value.billIds).toHaveLength(1);
    const bills = await kind<QboRecord>("quickbooks", "qbo:Bill");
    expect(bills.filter((b) => b.DocNumber === bills.find((x) => x.Id === first.value.billIds[0])?.DocNumber)).toHaveLength(1);
    expect(bills.find((b) => b.Id === first.value.billIds[0])?.TotalAmt).toBe(7_650);

    // An apostrophe in the name survives the query language.
    const found = await qbo(c).findCustomerByDisplayName(customerName);
    expect(found.ok && found.value?.DisplayName).toBe(customerName);
    const changed = await qbo(c).cdc(["Invoice", "Bill"], new Date(Date.now() - 60_000).toISOString());
    expect(changed.ok && changed.value.Invoice?.some((i) => (i as QboRecord).Id === first.value.documentId)).toBe(true);
  });

  it("with the company's custom transaction numbers off, the invoice takes QuickBooks' own next number, and a repeat still writes one invoice", async () => {
    await setSettings("quickbooks", { customTxnNumbers: false });
    const c = await connected();
    const input = commission(`deal_${crypto.randomUUID()}`);
    const first = await recordedTwice(c, input);
    const mine = (await kind<QboRecord>("quickbooks", "qbo:Invoice")).filter((i) => i.Id === first.value.documentId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.DocNumber).toMatch(/^\d+$/);
    expect(first.value.docNumber).toBe(mine[0]?.DocNumber);
  });

  it("with custom transaction numbers on, the invoice carries the hub's document number and is found by it", async () => {
    await setSettings("quickbooks", { customTxnNumbers: true });
    const c = await connected();
    const input = commission(`deal_${crypto.randomUUID()}`);
    const first = await new QuickBooksAccounting(open(c.id, {}, c.appEnv)).recordCommission(input);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.docNumber).toBe(await docNumberFor(input.reference, "invoice"));
    const found = await qbo(c).findByDocNumber("Invoice", first.value.docNumber ?? "");
    expect(found.ok && found.value?.Id).toBe(first.value.documentId);
  });

  for (const customTxnNumbers of [false, true]) {
    it(`recorded as a sales receipt (custom transaction numbers ${customTxnNumbers ? "on" : "off"}), a commission writes one sales receipt and no invoice, also when repeated`, async () => {
      await setSettings("quickbooks", { customTxnNumbers });
      const c = await connected();
      const input = { ...commission(`deal_${crypto.randomUUID()}`), kind: "salesreceipt" as const };
      const first = await recordedTwice(c, input);
      const receipts = (await kind<QboRecord>("quickbooks", "qbo:SalesReceipt")).filter((r) => r.Id === first.value.documentId);
      expect(receipts).toHaveLength(1);
      expect(receipts[0]?.TotalAmt).toBe(5_000);
      expect((await kind<QboRecord>("quickbooks", "qbo:Invoice")).filter((i) => i.Id === first.value.documentId)).toEqual([]);
      if (customTxnNumbers) expect(first.value.docNumber).toBe(await docNumberFor(input.reference, "salesreceipt"));
    });
  }

  it("a 400 ValidationFault comes back permanent with QuickBooks' message", async () => {
    const c = await connected();
    const body = commissionDocument({ customerId: "999999", grossCents: 100, itemRef: "1", description: "x" });
    const r = await qbo(c).createInvoice(body, await requestIdFor(uid()));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: "vendor_http", status: 400, retryable: false, vendor: "quickbooks" });
      expect(r.error.message).toMatch(/Invalid Reference Id/);
    }
  });

  it("a 429 is retryable and pauses the gate for QuickBooks' minute, so later calls stay local with a retryAfter", async () => {
    const c = await connectNew(); // its gate stays paused for a minute
    await sleep(1_100); // QuickBooks' second window holds none of the earlier calls
    await setSettings("quickbooks", { rateLimits: { "realm-second": { limit: 1, windowSeconds: 1 } } });
    const seenBefore = await counters("quickbooks");
    const results = await Promise.all([qbo(c).ping(), qbo(c).ping(), qbo(c).ping()]);
    const throttled = results.flatMap((r) => (r.ok ? [] : [r.error])).filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const e of throttled) expect(e.retryable).toBe(true);
    expect((await env.VENDOR_GATE.getByName(c.id).stats()).pausedUntil).toBeGreaterThan(Date.now() + 50_000);

    const requests = (await counters("quickbooks")).requests;
    expect(requests).toBeGreaterThan(seenBefore.requests);
    const later = await qbo(c).ping();
    expect(later.ok).toBe(false);
    if (!later.ok) {
      expect(later.error).toMatchObject({ code: "rate_limited_local", retryable: true });
      expect(later.error.retryAfterSeconds).toBeGreaterThanOrEqual(50);
    }
    expect((await counters("quickbooks")).requests).toBe(requests);
  });
});

describe("QuickBooks polling (change data capture)", () => {
  it("the poller reports the invoices and sales receipts changed since its cursor, and moves the cursor to the newest", async () => {
    const c = await connected();
    const [poller] = quickBooksPollers(qbo(c));
    if (!poller) throw new Error("no QuickBooks poller");
    const since = new Date(Date.now() - 2_000).toISOString();
    const accounting = new QuickBooksAccounting(open(c.id, {}, c.appEnv));
    const invoice = await accounting.recordCommission(commission(`deal_${crypto.randomUUID()}`));
    if (!invoice.ok) throw new Error(invoice.error.message);
    await sleep(1_100); // QuickBooks stamps changes to the second
    const receipt = await accounting.recordCommission({ ...commission(`deal_${crypto.randomUUID()}`), kind: "salesreceipt" });
    if (!receipt.ok) throw new Error(receipt.error.message);

    const polled = await poller.poll(since, Date.now());
    if (!polled.ok) throw new Error(polled.error.message);
    const inv = polled.value.changes.find((x) => x.resource === "invoice" && x.id === invoice.value.documentId);
    const rec = polled.value.changes.find((x) => x.resource === "salesreceipt" && x.id === receipt.value.documentId);
    expect(inv).toBeDefined();
    expect(rec).toBeDefined();
    expect(Date.parse(rec?.updatedAt ?? "")).toBeGreaterThan(Date.parse(inv?.updatedAt ?? ""));
    expect(Date.parse(polled.value.cursor ?? "")).toBe(Date.parse(rec?.updatedAt ?? ""));

    // From that cursor, the invoice (changed before it) is not reported again.
    const next = await poller.poll(polled.value.cursor, Date.now());
    if (!next.ok) throw new Error(next.error.message);
    expect(next.value.changes.some((x) => x.id === invoice.value.documentId && x.resource === "invoice")).toBe(false);
  });

  it("a cursor older than QuickBooks keeps changes (30 days) reads from as far back as it reaches, and names the days it could not read", async () => {
    const c = await connected();
    const [poller] = quickBooksPollers(qbo(c));
    if (!poller) throw new Error("no QuickBooks poller");
    const now = Date.now();
    const stale = new Date(now - 40 * 86_400_000).toISOString();
    const polled = await poller.poll(stale, now);
    if (!polled.ok) throw new Error(polled.error.message);
    expect(polled.value.unread).toEqual({ from: stale, to: new Date(now - 29 * 86_400_000).toISOString() });
    const recent = await poller.poll(new Date(now - 86_400_000).toISOString(), now);
    expect(recent.ok && recent.value.unread).toBeFalsy();
  });

  it("a change data capture answer at Intuit's cap is not taken as complete: every change in the window is read or named unread, and the next poll goes on", async () => {
    const c = await connected();
    // The poller is told the sandbox's cap (Intuit's is 1000), so eight changes exceed it.
    const [poller] = quickBooksPollers(qbo(c), 5);
    if (!poller) throw new Error("no QuickBooks poller");
    const since = new Date(Math.floor(Date.now() / 1_000) * 1_000).toISOString(); // QuickBooks stamps to the second
    const accounting = new QuickBooksAccounting(open(c.id, {}, c.appEnv));
    // Eight invoices over four seconds, more than the five one answer holds here.
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await accounting.recordCommission(commission(`deal_${crypto.randomUUID()}`));
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.documentId);
      if (i % 2 === 1) await sleep(1_100);
    }
    await setSettings("quickbooks", { qboCdcMax: 5 });

    const polled = await poller.poll(since, Date.now());
    if (!polled.ok) throw new Error(polled.error.message);
    const stamps = await invoiceStamps(c, ids);
    const read = new Set(polled.value.changes.filter((x) => x.resource === "invoice").map((x) => x.id));
    expect(ids.filter((id) => !read.has(id)).length).toBeGreaterThan(0); // the cap left some out
    const { unread } = polled.value;
    const named = (id: string) =>
      unread !== undefined && Date.parse(unread.from) <= (stamps.get(id) ?? NaN) && (stamps.get(id) ?? NaN) <= Date.parse(unread.to);
    expect(ids.filter((id) => !read.has(id) && !named(id))).toEqual([]);
    expect(unread?.from).toBe(since);

    const next = await poller.poll(polled.value.cursor, Date.now());
    if (!next.ok) throw new Error(next.error.message);
    expect(next.value.unread).toBeUndefined();
  });

  it("a cap's worth of changes in one second does not hold the poll in place: the cursor moves a second on and that second is named unread", async () => {
    const c = await connected();
    const [poller] = quickBooksPollers(qbo(c), 1);
    if (!poller) throw new Error("no QuickBooks poller");
    const r = await new QuickBooksAccounting(open(c.id, {}, c.appEnv)).recordCommission(commission(`deal_${crypto.randomUUID()}`));
    if (!r.ok) throw new Error(r.error.message);
    const stamp = new Date((await invoiceStamps(c, [r.value.documentId])).get(r.value.documentId) ?? NaN).toISOString();
    await setSettings("quickbooks", { qboCdcMax: 1 });

    const polled = await poller.poll(stamp, Date.now());
    if (!polled.ok) throw new Error(polled.error.message);
    expect(Date.parse(polled.value.cursor ?? "")).toBeGreaterThanOrEqual(Date.parse(stamp) + 1_000);
    expect(polled.value.unread).toEqual({ from: stamp, to: polled.value.cursor });
  });
});
