import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { mlsMessage } from "../../src/consumers/mls";
import { scheduleMls } from "../../src/cron/mls";
import { SANDBOX, setSettings } from "../helpers/sandbox";
import { drain, mlsControl, mlsSetup, pollPastOneStamp, syncedFeed } from "./helpers";

type Changed = Array<{ ListingKey: string; ListPrice: number }>;

/** The price in cents the hub holds for each of these listings, by key. */
async function heldPrices(keys: string[]): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT listing_key AS key, list_price_cents AS cents FROM listings WHERE listing_key IN (SELECT value FROM json_each(?1))",
  )
    .bind(JSON.stringify(keys))
    .all<{ key: string; cents: number }>();
  return Object.fromEntries(results.map((r) => [r.key, r.cents]));
}

const cents = (changed: Changed) => Object.fromEntries(changed.map((c) => [c.ListingKey, Math.round(c.ListPrice * 100)]));

// OData leaves a next link's form to the server: some page by `$skip`, an offset into the answer
// to the query, which moves when a record already read changes and goes to the end of the order.
describe("an MLS whose next links page by $skip", () => {
  const s = mlsSetup();
  afterEach(() => setSettings("reso", { skipLinks: false, maxSkip: null }));

  it("loses no change of a poll when a listing read on its first page changes again before the next page", async () => {
    const { config, t0 } = await syncedFeed(s, 60, { skipLinks: true });

    const feed = await (await fetch(`${SANDBOX}/_sandbox/reso/listings?limit=60`)).json<{ listings: Array<{ ListingKey: string }> }>();
    const keys = feed.listings.map((l) => l.ListingKey).slice(0, 40);
    const { changed } = await mlsControl<{ changed: Changed }>("change", { action: "price", keys });
    await scheduleMls(s.appEnv, config, t0 + 6 * 60_000);
    // The poll's first page (25 of the 40 changes), then an agent changes one of those again.
    const first = await mlsMessage(s.queued.shift(), s.appEnv);
    expect(first).toMatchObject({ ok: true, value: expect.stringMatching(/^page:Property:\d+:25$/) });
    const again = await mlsControl<{ changed: Changed }>("change", { action: "price", keys: [keys[0] ?? ""] });
    await drain(s, 30);

    const expected = { ...cents(changed), ...cents(again.changed) };
    expect(await heldPrices(keys)).toEqual(expected);
  });

  it("reads past a timestamp held by more listings than two pages, however far the MLS lets a client skip", async () => {
    await syncedFeed(s, 60, { skipLinks: true });
    const changed = await pollPastOneStamp(s, 60, { skipLinks: true, maxSkip: 30 });
    expect(await heldPrices(changed.map((c) => c.ListingKey))).toEqual(cents(changed));
  });
});
