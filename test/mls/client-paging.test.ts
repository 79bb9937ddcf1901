import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { mlsMessage } from "../../src/consumers/mls";
import { scheduleMls } from "../../src/cron/mls";
import { setSettings } from "../helpers/sandbox";
import { drain, heldKeys, mlsControl, mlsRequests, mlsSetup, MLS_ID, pollPastOneStamp, syncedFeed } from "./helpers";

const held = async () =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM listings WHERE connection = ?1 AND out_of_feed_at IS NULL")
      .bind(MLS_ID)
      .first<{ n: number }>()
  )?.n ?? 0;

const run = (job: string) =>
  env.DB.prepare("SELECT status, records FROM listing_sync WHERE connection = ?1 AND job = ?2").bind(MLS_ID, job).first();

const decoded = (url: string) => decodeURIComponent(url).replace(/\+/g, " ");

type Changed = Array<{ ListingKey: string; ListPrice: number }>;

/** The price the hub holds for each listing the MLS changed, and the price it changed to, both in cents by key. */
async function heldAndChangedPrices(changed: Changed) {
  const { results } = await env.DB.prepare(
    "SELECT listing_key AS key, list_price_cents AS cents FROM listings WHERE listing_key IN (SELECT value FROM json_each(?1)) ORDER BY listing_key",
  )
    .bind(JSON.stringify(changed.map((c) => c.ListingKey)))
    .all();
  const expected = changed
    .map((c) => ({ key: c.ListingKey, cents: Math.round(c.ListPrice * 100) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  return { held: results, changed: expected };
}

// RESO Web API Core requires `$top` and `$skip`, not a next link: a server may answer a full page
// and no `@odata.nextLink`, leaving the client to ask for the rest.
describe("an MLS that pages only as the client asks ($top and $skip, no next link)", () => {
  const s = mlsSetup();
  beforeEach(() => setSettings("reso", { serverPaging: false }));
  afterEach(() => setSettings("reso", { serverPaging: true, tiesVary: false, maxPage: null, maxSkip: null }));

  /** A fresh feed of 60 listings, first synced whole from an MLS with these settings. */
  async function firstSyncOf60(settings: Record<string, unknown>) {
    const synced = await syncedFeed(s, 60, settings);
    expect(await run("Property")).toEqual({ status: "idle", records: 60 });
    expect(await held()).toBe(60);
    return synced;
  }

  /** The keys-only pass after that sync sees every listing and takes none out of the feed. */
  async function keysPassSeesAll60(config: ReturnType<typeof brokerageConfig>, t0: number) {
    expect(await scheduleMls(s.appEnv, config, t0 + 6 * 60_000)).toContain("Property#keys:started:1");
    await drain(s, 30);
    expect(await run("Property#keys")).toEqual({ status: "idle", records: 60 });
    expect(await held()).toBe(60);
  }

  it("is replicated whole, page after page, and a keys-only pass sees every listing", async () => {
    const { config, t0 } = await firstSyncOf60({ serverPaging: false });
    const pages = (await mlsRequests()).filter((r) => r.url.startsWith("/reso/odata/Property"));
    // Two full pages and a short one; a server may answer fewer than `$top` without a sign, so the
    // run asks on until an answer is empty: from the last stamp (read again), then past it.
    expect(pages.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(decoded(pages[1]?.url ?? "")).toContain("ModificationTimestamp ge ");
    await keysPassSeesAll60(config, t0);
  });

  it("reads a whole feed from an MLS that answers fewer records than a page asks for", async () => {
    const { config, t0 } = await firstSyncOf60({ serverPaging: false, maxPage: 10 });
    await keysPassSeesAll60(config, t0);
  });

  it("reads the changes after a timestamp more listings share than the MLS answers in one page", async () => {
    await setSettings("reso", { serverPaging: false, maxPage: 10 });
    const keys = await heldKeys();
    const shared = new Date(Date.now() - 2_000).toISOString();
    const group = keys.slice(0, 15).map((k) => k.key);
    const grouped = (await mlsControl<{ changed: Changed }>("change", { action: "price", keys: group, at: shared })).changed;
    const config = brokerageConfig(s.appEnv);
    const t0 = Date.now() + 24 * 60_000;
    await scheduleMls(s.appEnv, config, t0);
    await drain(s, 30);
    // The cursor now sits on the shared timestamp: the next poll's first answer is ten of those fifteen.
    const later = keys.slice(20, 23).map((k) => k.key);
    const after = (
      await mlsControl<{ changed: Changed }>("change", { action: "price", keys: later, at: new Date(Date.now() - 1_000).toISOString() })
    ).changed;
    await scheduleMls(s.appEnv, config, t0 + 6 * 60_000);
    await drain(s, 30);
    const prices = await heldAndChangedPrices([...grouped, ...after]);
    expect(prices.held).toEqual(prices.changed);
  });

  it.each([
    ["in one order, in pages as asked", false, null],
    ["in a different order in each answer, in pages as asked", true, null],
    ["in a different order in each answer, in pages shorter than asked", true, 10],
  ])(
    "reads every change of a poll whose changes share one timestamp across more than two pages, their records ordered %s",
    async (_, tiesVary, maxPage) => {
      await setSettings("reso", { serverPaging: false, tiesVary, maxPage });
      const { changed } = await mlsControl<{ changed: Changed }>("change", {
        action: "price",
        count: 60,
        at: new Date(Date.now() - 1_000).toISOString(),
      });
      expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 12 * 60_000)).toEqual([
        expect.stringMatching(/^Property:started:/),
      ]);
      await drain(s, 40);
      expect(await run("Property")).toEqual({ status: "idle", records: expect.any(Number) });
      expect(changed).toHaveLength(60);
      const prices = await heldAndChangedPrices(changed);
      expect(prices.held).toEqual(prices.changed);
    },
  );

  it("reads every change when the MLS orders the records of one timestamp differently in each answer", async () => {
    await setSettings("reso", { serverPaging: false, tiesVary: true });
    const held = await heldKeys();
    expect(held).toHaveLength(60);
    // Two listings a millisecond, so the pages of 25 end between two records of one timestamp.
    const base = Date.now() - 500;
    const changed: Changed = [];
    for (let i = 0; i < held.length; i += 2) {
      const keys = held.slice(i, i + 2).map((h) => h.key);
      const at = new Date(base + i / 2).toISOString();
      changed.push(...(await mlsControl<{ changed: typeof changed }>("change", { action: "price", keys, at })).changed);
    }
    expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 18 * 60_000)).toEqual([
      expect.stringMatching(/^Property:started:/),
    ]);
    await drain(s, 20);
    // Each record counted once, though the records at each page's last timestamp are read twice.
    expect(await run("Property")).toEqual({ status: "idle", records: 60 });
    expect(changed).toHaveLength(60);
    const prices = await heldAndChangedPrices(changed);
    expect(prices.held).toEqual(prices.changed);
  });

  it.each([
    ["a page", 30, 10],
    ["two pages", 60, 30],
  ])("reads past a timestamp held by more listings than %s, however far the MLS lets a client skip", async (_, count, maxSkip) => {
    await firstSyncOf60({ serverPaging: false });
    const changed = await pollPastOneStamp(s, count, { serverPaging: false, maxSkip });
    expect(await run("Property")).toEqual({ status: "idle", records: count });
    const prices = await heldAndChangedPrices(changed);
    expect(prices.held).toEqual(prices.changed);
  });

  it("fails a run whose own next query the MLS refuses, saying why, instead of asking it again forever", async () => {
    await firstSyncOf60({ serverPaging: false });
    // Pages of ten, each past the five records this MLS lets a client skip.
    await setSettings("reso", { serverPaging: false, maxPage: 10, maxSkip: 5 });
    const keys = (await heldKeys()).slice(0, 30).map((k) => k.key);
    await mlsControl("change", { action: "price", keys, at: new Date(Date.now() - 100).toISOString() });
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 30 * 60_000);
    const failures: string[] = [];
    for (let i = 0; i < 20 && s.queued.length; i++) {
      const r = await mlsMessage(s.queued.shift(), s.appEnv);
      if (!r.ok) failures.push(`${r.error.code}:${r.error.status}`);
      else if (failures.length) break;
    }
    expect(failures).toEqual(["vendor_http:400"]);
    expect(s.queued.filter((m) => JSON.stringify(m).includes('"run":"Property"'))).toEqual([]);
    expect(
      await env.DB.prepare("SELECT status, error FROM listing_sync WHERE connection = ?1 AND job = 'Property'").bind(MLS_ID).first(),
    ).toEqual({
      status: "running",
      error: expect.stringContaining("$skip is limited to 5"),
    });
  });
});
