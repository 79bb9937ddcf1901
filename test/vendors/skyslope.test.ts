import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Deal } from "../../src/canonical";
import type { ConnectionConfig } from "../../src/config/brokerage";
import { skySlopePage, type SourceDeal } from "../../src/backfill/sources";
import { SkySlopeClient } from "../../src/vendors/skyslope/client";
import { skySlopePollers } from "../../src/vendors/skyslope/poll";
import { SkySlopeTms } from "../../src/vendors/skyslope/tms";
import { dealToSale } from "../../src/vendors/skyslope/to-vendor";
import { configOf, counters, expectPollerFollows, getSettings, kind, open, setSettings, sleep, slotsWithin, uid } from "./support";

/** A SkySlope connection with a gate of its own (same account as skyslope:main). */
const fresh = (overrides: Partial<ConnectionConfig> = {}) => open("skyslope:main", { id: `skyslope:t${uid()}`, ...overrides });

const sessions = async () => (await kind("skyslope", "session")).length;

let clockBefore: number | undefined;

afterEach(async () => {
  await setSettings("skyslope", {
    tokenLifetimeSeconds: null,
    rateLimit: null,
    exportShape: "array",
    ...(clockBefore !== undefined ? { clockOffsetMs: clockBefore } : {}),
  });
  clockBefore = undefined;
});

function deal(street: string): Deal {
  return {
    id: `deal_${crypto.randomUUID()}`,
    stage: "under_contract",
    purchasePrice: 33_300_000,
    dates: { contract: "2026-05-01", estimatedClosing: "2026-06-01" },
    participants: [
      {
        role: "buyer",
        person: { firstName: "Li", lastName: "Wei", emails: [{ value: `li.${uid()}@example.com` }], phones: [], roles: [], tags: [] },
      },
      {
        role: "seller",
        person: { firstName: "Sam", lastName: "Okafor", emails: [], phones: [{ value: "+15125550123" }], roles: [], tags: [] },
      },
    ],
    property: { address: { number: street, street: "Main", suffix: "St", city: "Austin", state: "TX", zip: "78701" }, mlsId: `M${uid()}` },
    agent: { name: "Alex Kim", email: "alex@example-brokerage.test" },
  };
}

describe("SkySlope sessions", () => {
  it("5 concurrent first calls log in once and share the session", async () => {
    const conn = fresh();
    const before = await sessions();
    const results = await Promise.all(Array.from({ length: 5 }, () => new SkySlopeClient(conn).listOffices()));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect((await sessions()) - before).toBe(1);
    expect((await new SkySlopeClient(conn).ping()).ok).toBe(true);
    expect((await sessions()) - before).toBe(1);
  });

  it("a session SkySlope has expired (401) is replaced by one new login, and every call retried", async () => {
    await setSettings("skyslope", { tokenLifetimeSeconds: 120 });
    const conn = fresh();
    expect((await new SkySlopeClient(conn).ping()).ok).toBe(true);
    clockBefore = (await getSettings("skyslope")).clockOffsetMs;
    await setSettings("skyslope", { clockOffsetMs: clockBefore + 130_000 }); // the hub still trusts it
    const before = await sessions();
    const results = await Promise.all(Array.from({ length: 5 }, () => new SkySlopeClient(conn).listOffices()));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect((await sessions()) - before).toBe(1);
  });

  it("a wrong access secret is a permanent 401", async () => {
    const base = configOf("skyslope:main");
    const conn = fresh({ credentials: { ...base.credentials, accessSecret: "not-the-secret" } });
    const r = await new SkySlopeClient(conn).ping();
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        code: "vendor_http",
        status: 401,
        vendor: "skyslope",
        retryable: false,
        message: "Invalid access key signature.",
      });
  });
});

describe("SkySlope as the TMS", () => {
  for (const exportShape of ["array", "value"] as const) {
    it(`search before create (export as ${exportShape}): a retry after a crash between SkySlope's yes and the hub's record finds the first sale, with no key of the hub's kept by SkySlope`, async () => {
      await setSettings("skyslope", { exportShape });
      const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
      const created = await new SkySlopeTms(fresh()).createTransaction({ reference: d.id ?? "", deal: d });
      if (!created.ok) throw new Error(created.error.message);
      const sale = (await kind<{ saleGuid: string; customFields?: Record<string, unknown> }>("skyslope", "sale")).find(
        (s) => s.saleGuid === created.value.externalId,
      );
      expect(Object.values(sale?.customFields ?? {})).not.toContain(d.id);
      const retry = new SkySlopeTms(fresh());
      expect(await retry.findTransaction(d.id ?? "", d)).toEqual({ ok: true, value: { externalId: created.value.externalId } });
      const elsewhere = deal(String(Number(d.property?.address?.number) + 1));
      expect(await retry.findTransaction(elsewhere.id ?? "", elsewhere)).toEqual({ ok: true, value: null });
    });
  }

  it("a sale the hub has linked to another deal is never taken for this one", async () => {
    const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
    const created = await new SkySlopeTms(fresh()).createTransaction({ reference: d.id ?? "", deal: d });
    if (!created.ok) throw new Error(created.error.message);
    const again = { ...d, id: `deal_${crypto.randomUUID()}` };
    const taken = async (id: string) => id === created.value.externalId;
    expect(await new SkySlopeTms(fresh()).findTransaction(again.id, again, taken)).toEqual({ ok: true, value: null });
  });

  it("files the sale under the agent with buyers and sellers, and reads it back as the canonical deal", async () => {
    const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
    const tms = new SkySlopeTms(fresh());
    const created = await tms.createTransaction({ reference: d.id ?? "", deal: d });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.url).toMatch(/^https:\/\//);
    const tx = await tms.getTransaction(created.value.externalId);
    if (!tx.ok || !tx.value) throw new Error("sale not read back");
    expect(tx.value.deal.purchasePrice).toBe(d.purchasePrice);
    expect(tx.value.deal.dates).toMatchObject({ contract: "2026-05-01", estimatedClosing: "2026-06-01" });
    expect(tx.value.deal.property?.address).toMatchObject({ number: d.property?.address?.number, city: "Austin", zip: "78701" });
    const roles = tx.value.deal.participants.map((p) => p.role).sort();
    expect(roles).toEqual(["buyer", "seller"]);
    expect(await tms.getTransaction(crypto.randomUUID())).toEqual({ ok: true, value: null });
  });

  it("finds a sale an agent opened by hand at the same address, but not one under another agent or MLS number", async () => {
    const street = String(1000 + Math.floor(Math.random() * 8000));
    const client = new SkySlopeClient(fresh());
    const users = await client.listUsers();
    const [agent, otherAgent] = users.ok ? users.value : [];
    const types = agent?.officeGuid ? await client.listChecklistTypes(agent.officeGuid, "Sale") : undefined;
    const checklistTypeId = types?.ok ? types.value[0]?.checklistTypeId : undefined;
    if (!agent || !otherAgent || checklistTypeId === undefined) throw new Error("sandbox has no agents or checklist");
    const d = deal(street);
    const manual = await client.createSale(dealToSale(d, { agentGuid: agent.userGuid, checklistTypeId }));
    if (!manual.ok) throw new Error(manual.error.message);
    const property = { streetNumber: street, streetAddress: "Main St", zip: "78701" };
    const mlsNumber = d.property?.mlsId ?? "";
    expect(await client.findSales({ property, agentGuid: agent.userGuid, mlsNumber })).toEqual({
      ok: true,
      value: [manual.value.saleGuid],
    });
    expect(await client.findSales({ property, agentGuid: otherAgent.userGuid, mlsNumber })).toEqual({ ok: true, value: [] });
    expect(await client.findSales({ property, agentGuid: agent.userGuid, mlsNumber: "OTHER-MLS" })).toEqual({ ok: true, value: [] });
    expect(
      await client.findSales({ property: { ...property, streetNumber: String(Number(street) + 1) }, agentGuid: agent.userGuid }),
    ).toEqual({ ok: true, value: [] });
  });

  it("polls: the bulk export lists a sale modified after a time, and sales page with links", async () => {
    const since = new Date(Date.now() + (await getSettings("skyslope")).clockOffsetMs - 1_000).toISOString();
    const d = deal(String(1000 + Math.floor(Math.random() * 8000)));
    const tms = new SkySlopeTms(fresh());
    const created = await tms.createTransaction({ reference: d.id ?? "", deal: d });
    if (!created.ok) throw new Error(created.error.message);
    const files = await tms.client.listFiles({ modifiedAfter: since });
    expect(files.ok && files.value.files.some((f) => f.saleGuid === created.value.externalId)).toBe(true);
    const updated = await tms.client.updateSale(created.value.externalId, { escrowNumber: "ESC-42" });
    expect(updated.ok && updated.value.escrowNumber).toBe("ESC-42");
    const page = await tms.client.listSales({ pageNumber: 1 });
    expect(page.ok).toBe(true);
    if (page.ok) expect(page.value.nextPage === null || page.value.nextPage === 2).toBe(true);
  });
});

describe("SkySlope polling (it sends no webhooks)", () => {
  it("the poller reports a sale changed since its cursor, and a later change of it from the cursor it returned", async () => {
    const tms = new SkySlopeTms(fresh());
    const [poller] = skySlopePollers(tms.client);
    if (!poller) throw new Error("no SkySlope poller");
    await expectPollerFollows(poller, "sale", tms, deal(String(1000 + Math.floor(Math.random() * 8000))), async (id) =>
      expect((await tms.client.updateSale(id, { escrowNumber: "ESC-77" })).ok).toBe(true),
    );
  });
});

describe("SkySlope as a backfill source", () => {
  it("reads every sale a page at a time, each with its buyer, property, price and a zoned time", async () => {
    const tms = new SkySlopeTms(fresh());
    const mine = [deal(String(1000 + Math.floor(Math.random() * 8000))), deal(String(1000 + Math.floor(Math.random() * 8000)))];
    const guids: string[] = [];
    for (const d of mine) {
      const created = await tms.createTransaction({ reference: d.id ?? "", deal: d });
      if (!created.ok) throw new Error(created.error.message);
      guids.push(created.value.externalId);
    }

    const read: SourceDeal[] = [];
    const cursors: Array<string | null> = [];
    let cursor: string | null = null;
    do {
      const page = await skySlopePage(fresh(), cursor);
      if (!page.ok) throw new Error(page.error.message);
      expect(page.value.calls).toBe(1);
      read.push(...page.value.deals);
      cursor = page.value.next;
      cursors.push(cursor);
    } while (cursor !== null && cursors.length < 50);
    expect(cursors.at(-1)).toBeNull();
    expect(cursors.slice(0, -1)).toEqual(cursors.slice(0, -1).map((_, i) => String(i + 2)));
    expect(new Set(read.map((d) => d.externalId)).size).toBe(read.length);

    for (const [i, guid] of guids.entries()) {
      const d = read.find((x) => x.externalId === guid);
      const buyer = mine[i]?.participants.find((p) => p.role === "buyer")?.person;
      expect(d).toMatchObject({
        system: "skyslope",
        kind: "transaction",
        priceCents: 33_300_000,
        closingDate: "2026-06-01",
        address: { number: mine[i]?.property?.address?.number, zip: "78701" },
        client: { emails: [buyer?.emails[0]?.value] },
      });
      expect(new Date(d?.at ?? "").toISOString()).toBe(d?.at);
    }
  });
});

describe("SkySlope limits", () => {
  it("3L concurrent first calls against a limit of L: one login, no 429, those without a slot within the wait come back rate_limited_local", async () => {
    const L = 6;
    const windowMs = 3_000;
    await setSettings("skyslope", { rateLimit: { limit: L, windowSeconds: windowMs / 1000 } });
    await sleep(windowMs + 100);
    const conn = fresh({ limits: { windows: [{ limit: L, windowMs }], contexts: {} }, maxWaitMs: 500 });
    const before = await counters("skyslope");
    const loginsBefore = await sessions();
    const results = await Promise.all(Array.from({ length: 3 * L }, () => new SkySlopeClient(conn).listOffices()));
    const after = await counters("skyslope");
    const granted = results.filter((r) => r.ok).length;
    expect(after.rateLimited - before.rateLimited).toBe(0);
    // Half the window's share at once, then spaced slots, as far as 500 ms of waiting reaches.
    expect(granted).toBe(slotsWithin({ windows: [{ limit: L, windowMs }] }, 3 * L, 500));
    expect(granted).toBeGreaterThanOrEqual(Math.floor(Math.floor(L * 0.95) / 2));
    expect(granted).toBeLessThan(3 * L);
    expect((await sessions()) - loginsBefore).toBe(1);
    for (const r of results) if (!r.ok) expect(r.error).toMatchObject({ code: "rate_limited_local", retryable: true });
  });

  it("a 429 with Retry-After comes back retryable with retryAfterSeconds", async () => {
    const conn = fresh();
    expect((await new SkySlopeClient(conn).ping()).ok).toBe(true);
    await setSettings("skyslope", { rateLimit: { limit: 1, windowSeconds: 5 } });
    // Earlier calls may still fill SkySlope's window: the first failure is SkySlope's 429.
    let r = await new SkySlopeClient(conn).ping();
    for (let i = 0; i < 2 && r.ok; i++) r = await new SkySlopeClient(conn).ping();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ status: 429, retryable: true });
      expect(r.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect((await env.VENDOR_GATE.getByName(conn.config.id).stats()).pausedUntil).toBeGreaterThan(Date.now());
  });
});
