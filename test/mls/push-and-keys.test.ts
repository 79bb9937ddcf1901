import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { sendUnsentEvents } from "../../src/cron";
import { scheduleMls } from "../../src/cron/mls";
import { mlsMessage } from "../../src/consumers/mls";
import { eventually } from "../helpers/deliveries";
import { withQueuesDown } from "../helpers/queues";
import { deliverOutbox, resetSandbox, setSettings } from "../helpers/sandbox";
import { drain, mlsControl, mlsRequests, mlsSetup, MLS_ID, storedEvent } from "./helpers";

type Listing = Record<string, unknown>;

describe("MLS pushes and the keys-only pass", () => {
  const s = mlsSetup();
  let feed: Listing[] = [];

  beforeAll(async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 60 });
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
    await drain(s);
    feed = (await (await fetch("http://127.0.0.1:8788/_sandbox/reso/listings?limit=60")).json<{ listings: Listing[] }>()).listings;
  });

  it("an EntityEvent batch push is verified, acknowledged, and becomes one fetch of the changed listings", async () => {
    const keys = [String(feed[3]?.["ListingKey"]), String(feed[4]?.["ListingKey"])];
    await mlsControl("change", { action: "price", keys, push: "batch" });
    const [res] = await deliverOutbox({ source: "reso" });
    expect(res?.status).toBe(202);
    const { id } = (await res?.json<{ id: string }>()) ?? { id: "" };
    const msg = await eventually(() => storedEvent(id));
    expect(msg.event).toMatchObject({
      type: "vendor.resource_changed",
      data: { system: "reso", resource: "Property", ids: keys, vendorEvent: "EntityEvent" },
    });
    const before = (await mlsRequests()).length;
    const r = await mlsMessage(msg, s.appEnv);
    expect(r).toEqual({ ok: true, value: "fetched:2:gone:0" });
    const fetched = (await mlsRequests()).slice(before);
    expect(fetched).toHaveLength(1);
    expect(decodeURIComponent(fetched[0]?.url ?? "").replace(/\+/g, " ")).toContain(
      `ListingKey eq '${keys[0]}' or ListingKey eq '${keys[1]}'`,
    );
    const row = await env.DB.prepare("SELECT list_price_cents FROM listings WHERE listing_key = ?1")
      .bind(keys[0])
      .first<{ list_price_cents: number }>();
    expect(row?.list_price_cents).toBeLessThan(Number(feed[3]?.["ListPrice"]) * 100);
  });

  it("a batch push of more listings than the MLS answers at once stores every one and takes none out of the feed", async () => {
    // RESO Web API Core §2.5.5: a server may answer fewer records than `$top` asks.
    await setSettings("reso", { maxPage: 5 });
    try {
      const keys = feed.slice(10, 22).map((l) => String(l["ListingKey"]));
      const { changed } = await mlsControl<{ changed: Listing[] }>("change", { action: "price", keys, push: "batch" });
      const [res] = await deliverOutbox({ source: "reso" });
      const { id } = (await res?.json<{ id: string }>()) ?? { id: "" };
      const msg = await eventually(() => storedEvent(id));
      expect(await mlsMessage(msg, s.appEnv)).toEqual({ ok: true, value: "fetched:12:gone:0" });
      const { results } = await env.DB.prepare(
        "SELECT list_price_cents AS cents, out_of_feed_at AS gone FROM listings WHERE listing_key IN (SELECT value FROM json_each(?1)) ORDER BY listing_key",
      )
        .bind(JSON.stringify(keys))
        .all();
      const sorted = [...changed].sort((a, b) => (String(a["ListingKey"]) < String(b["ListingKey"]) ? -1 : 1));
      expect(results).toEqual(sorted.map((c) => ({ cents: Math.round(Number(c["ListPrice"]) * 100), gone: null })));
    } finally {
      await setSettings("reso", { maxPage: null });
    }
  });

  it("a push whose signature does not verify is refused and changes nothing", async () => {
    await mlsControl("push", { keys: [String(feed[5]?.["ListingKey"])] });
    const entries = await (await fetch("http://127.0.0.1:8788/_sandbox/outbox/drain?source=reso", { method: "POST" })).json<
      Array<{ path: string; headers: Record<string, string>; body: string }>
    >();
    const e = entries[0];
    if (!e) throw new Error("the sandbox pushed nothing");
    const events = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM events").first<{ n: number }>())?.n;
    const before = await events();
    const forged = await exports.default.fetch(`http://hub.test${e.path}`, {
      method: "POST",
      headers: { ...e.headers, "webhook-signature": "v1,AAAA" },
      body: e.body,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code?: string }).code).toBe("signature_invalid");
    await new Promise((r) => setTimeout(r, 200));
    expect(await events()).toBe(before);
  });

  it("the keys-only pass marks listings gone from the feed as out of feed, and fetches ones the hub missed", async () => {
    const deleted = [String(feed[10]?.["ListingKey"]), String(feed[11]?.["ListingKey"])];
    await mlsControl("change", { action: "delete", keys: deleted });
    const missed = String(feed[12]?.["ListingKey"]);
    await env.DB.prepare("DELETE FROM listings WHERE listing_key = ?1").bind(missed).run();
    const started = await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
    expect(started).toContain("Property#keys:started:1");
    await drain(s);
    const keysPages = (await mlsRequests()).filter((r) => r.url.includes("select=ListingKey"));
    expect(keysPages.length).toBe(Math.ceil(58 / 25));
    const gone = await env.DB.prepare("SELECT listing_key FROM listings WHERE out_of_feed_at IS NOT NULL ORDER BY listing_key").all<{
      listing_key: string;
    }>();
    expect(gone.results.map((r) => r.listing_key)).toEqual([...deleted].sort());
    expect(await env.DB.prepare("SELECT listing_key FROM listings WHERE listing_key = ?1").bind(missed).first()).not.toBeNull();
    const sync = await env.DB.prepare("SELECT status, removed FROM listing_sync WHERE connection = ?1 AND job = 'Property#keys'")
      .bind(MLS_ID)
      .first();
    expect(sync).toEqual({ status: "idle", removed: 2 });
    const traced = await env.DB.prepare("SELECT COUNT(*) AS n FROM traces WHERE stage = 'LISTING_OUT_OF_FEED'").first<{ n: number }>();
    expect(traced?.n).toBe(2);
  });

  it("a page message delivered twice is applied once and the MLS page is read once", async () => {
    await mlsControl("change", { action: "price", count: 30 }); // two pages of 25
    const started = await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 6 * 60_000);
    expect(started[0]).toMatch(/^Property:started:\d+$/);
    s.queued.push(...s.queued.filter((m) => (m as { run?: string }).run === "Property"));
    const before = (await mlsRequests()).length;
    const out = await drain(s);
    expect(out.filter((r) => r.startsWith("page:Property:"))).toHaveLength(2);
    expect(out.filter((r) => r === "stale")).toHaveLength(1);
    const read = (await mlsRequests()).slice(before).filter((r) => !r.url.includes("select=ListingKey"));
    expect(read).toHaveLength(2);
    expect(new Set(read.map((r) => r.url)).size).toBe(2);
  });

  it("a keys pass whose fetch the queue refused fetches the missed listing by the next scheduled run", async () => {
    const missed = String(feed[20]?.["ListingKey"]);
    await env.DB.prepare("DELETE FROM listings WHERE listing_key = ?1").bind(missed).run();
    const held = () => env.DB.prepare("SELECT listing_key FROM listings WHERE listing_key = ?1").bind(missed).first();
    const nextDay = Date.now() + 25 * 60 * 60_000;
    expect(await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), nextDay)).toContainEqual(
      expect.stringMatching(/^Property#keys:started:/),
    );
    // The MLS queue refuses every send while each page is applied; each page's retry hands off.
    const mlsDown = withQueuesDown(s.appEnv, "MLS");
    let refused = 0;
    while (s.queued.length) {
      const msg = s.queued.shift();
      if (
        await mlsMessage(msg, mlsDown).then(
          () => true,
          () => false,
        )
      )
        continue;
      refused++;
      expect((await mlsMessage(msg, s.appEnv, { attempts: 2 })).ok).toBe(true);
    }
    expect(refused).toBeGreaterThan(0);
    expect(await held()).toBeNull();
    // The scheduled run sends the fetch recorded with the page, and the listing is fetched.
    expect(await sendUnsentEvents(s.appEnv, nextDay + 120_000)).toBeGreaterThanOrEqual(1);
    expect(s.queued).toEqual([expect.objectContaining({ job: "fetch", keys: [missed], reason: "keys_pass" })]);
    expect(await drain(s)).toEqual(["fetched:1:gone:0"]);
    expect(await held()).not.toBeNull();
  });
  it("a pushed listing the MLS no longer serves is marked out of feed and traced", async () => {
    const key = String(feed[40]?.["ListingKey"]);
    await mlsControl("change", { action: "delete", keys: [key], push: "single" });
    const [res] = await deliverOutbox({ source: "reso" });
    expect(res?.status).toBe(202);
    const { id } = (await res?.json<{ id: string }>()) ?? { id: "" };
    const msg = await eventually(() => storedEvent(id));
    expect(await mlsMessage(msg, s.appEnv)).toEqual({ ok: true, value: "fetched:0:gone:1" });
    const row = await env.DB.prepare("SELECT out_of_feed_at FROM listings WHERE listing_key = ?1")
      .bind(key)
      .first<{ out_of_feed_at: number | null }>();
    expect(row?.out_of_feed_at).toEqual(expect.any(Number));
    const trace = await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'LISTING_OUT_OF_FEED'")
      .bind(`listing:${key}`)
      .first<{ detail: string }>();
    expect(trace?.detail).toContain(`not served by ${MLS_ID}`);
  });
});
