import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { scheduleMls } from "../../src/cron/mls";
import { SANDBOX } from "../helpers/sandbox";
import { drain, freshReplica, mlsSetup } from "./helpers";

describe("a listing the hub holds as out of feed that the MLS still serves", () => {
  const s = mlsSetup();

  it("is back in the feed after the next keys-only pass", async () => {
    const { config, t0 } = await freshReplica(s, 10);
    const feed = await (await fetch(`${SANDBOX}/_sandbox/reso/listings?limit=1`)).json<{ listings: Array<Record<string, unknown>> }>();
    const key = String(feed.listings[0]?.["ListingKey"]);
    // Marked out of feed by an earlier pass that the MLS answered short.
    await env.DB.prepare("UPDATE listings SET out_of_feed_at = ?2 WHERE listing_key = ?1").bind(key, t0).run();

    expect(await scheduleMls(s.appEnv, config, t0 + 6 * 60_000)).toContain("Property#keys:started:1");
    await drain(s);
    const row = await env.DB.prepare("SELECT out_of_feed_at FROM listings WHERE listing_key = ?1")
      .bind(key)
      .first<{ out_of_feed_at: number | null }>();
    expect(row?.out_of_feed_at).toBeNull();
  });
});
