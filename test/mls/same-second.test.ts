import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { SANDBOX } from "../helpers/sandbox";
import { drain, freshReplica, mlsControl, mlsSetup, MLS_ID } from "./helpers";
import { replicationLag } from "../../src/mls/lag";
import { listingSubject } from "../../src/mls/listing";
import { getSync } from "../../src/store/listings";
import { RUN_LISTINGS } from "../../src/queues/messages";

const MIN = 60_000;

/** The sandbox feed's first `n` listing keys. */
async function feedKeys(n: number): Promise<string[]> {
  const feed = await (await fetch(`${SANDBOX}/_sandbox/reso/listings?limit=${n}`)).json<{ listings: Array<Record<string, unknown>> }>();
  return feed.listings.map((l) => String(l["ListingKey"]));
}

/** This whole second, as an MLS that stamps to the second writes it. */
const thisSecond = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

/** Lowers the listing's price in the sandbox, stamped `at`; the new price in cents. */
async function changePrice(key: string, at: string): Promise<number> {
  const { changed } = await mlsControl<{ changed: Array<Record<string, unknown>> }>("change", { action: "price", keys: [key], at });
  return Number(changed[0]?.["ListPrice"]) * 100;
}

/** The price the hub holds for the listing, in cents. */
async function heldPrice(key: string): Promise<number | undefined> {
  const row = await env.DB.prepare("SELECT list_price_cents FROM listings WHERE listing_key = ?1")
    .bind(key)
    .first<{ list_price_cents: number }>();
  return row?.list_price_cents;
}

// An MLS may stamp ModificationTimestamp to the second: a listing changed after a poll, in the
// second of the newest change that poll read, is as new as the cursor.
describe("a listing changed in the same second as the newest change a poll read", () => {
  const s = mlsSetup();

  it("is replicated by the next poll", async () => {
    const { config, t0 } = await freshReplica(s, 10);
    const [a, b] = (await feedKeys(2)) as [string, string];
    await new Promise((r) => setTimeout(r, 1_100));
    const second = thisSecond();

    await changePrice(a, second);
    await scheduleMls(s.appEnv, config, t0 + 6 * MIN);
    await drain(s);
    const price = await changePrice(b, second);
    await scheduleMls(s.appEnv, config, t0 + 12 * MIN);
    await drain(s);

    expect(await heldPrice(b)).toBe(price);
    // The run's counts are its own ("N records in its last run"), each record once: B, and not A,
    // which the poll read again at the cursor.
    expect(replicationLag(await getSync(env.DB, MLS_ID, RUN_LISTINGS), 5, Date.now()).detail).toMatch(/, 1 records in its last run$/);
  });

  it("a listing changed twice within one second, a poll between, is traced as changed each time", async () => {
    const config = brokerageConfig(s.appEnv);
    const [, , , , e] = (await feedKeys(5)) as [string, string, string, string, string];
    const t = Date.now() + 40 * MIN;
    await new Promise((r) => setTimeout(r, 1_100));
    const second = thisSecond();
    await changePrice(e, second);
    await scheduleMls(s.appEnv, config, t);
    await drain(s);
    const price = await changePrice(e, second);
    await scheduleMls(s.appEnv, config, t + 6 * MIN);
    await drain(s);
    expect(await heldPrice(e)).toBe(price);
    const { results } = await env.DB.prepare("SELECT detail FROM traces WHERE subject = ?1 AND stage = 'LISTING_CHANGED'")
      .bind(listingSubject(e))
      .all<{ detail: string }>();
    expect(results).toHaveLength(2);
  });

  it("a record stamped ahead of the hub's clock does not make the next polls skip the changes before that time", async () => {
    const config = brokerageConfig(s.appEnv);
    const [, , c, d] = (await feedKeys(4)) as [string, string, string, string];
    const t = Date.now() + 20 * MIN;
    await changePrice(c, new Date(Date.now() + 60 * MIN).toISOString());
    await scheduleMls(s.appEnv, config, t);
    await drain(s);
    await new Promise((r) => setTimeout(r, 1_100));
    const price = await changePrice(d, thisSecond());
    await scheduleMls(s.appEnv, config, t + 6 * MIN);
    await drain(s);
    expect(await heldPrice(d)).toBe(price);
  });
  it("a listing once stamped ahead of the hub's clock still takes its next change, stamped as it should be", async () => {
    const config = brokerageConfig(s.appEnv);
    const [, , , , e] = (await feedKeys(5)) as [string, string, string, string, string];
    await changePrice(e, new Date(Date.now() + 60 * MIN).toISOString());
    await scheduleMls(s.appEnv, config, Date.now() + 30 * MIN);
    await drain(s);
    await new Promise((r) => setTimeout(r, 1_100));
    const price = await changePrice(e, thisSecond());
    await scheduleMls(s.appEnv, config, Date.now() + 36 * MIN);
    await drain(s);
    expect(await heldPrice(e)).toBe(price);
  });
});
