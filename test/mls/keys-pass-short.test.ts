import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { scheduleMls } from "../../src/cron/mls";
import { drain, freshReplica, mlsControl, mlsSetup, MLS_ID } from "./helpers";

const outOfFeed = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM listings WHERE out_of_feed_at IS NOT NULL").first<{ n: number }>())?.n ?? 0;

// A server that answers the keys-only pass short (an empty page, paging the hub does not follow)
// looks to the hub like a feed that lost most of its listings overnight.
describe("a keys-only pass that sees fewer than half the listings the hub holds", () => {
  const s = mlsSetup();

  it("marks none out of feed and raises a critical alert naming the counts", async () => {
    const { config, t0 } = await freshReplica(s, 40);
    await mlsControl("change", { action: "delete", count: 30 });

    expect(await scheduleMls(s.appEnv, config, t0 + 6 * 60_000)).toContain("Property#keys:started:1");
    await drain(s);
    expect(await outOfFeed()).toBe(0);
    const alert = await env.DB.prepare("SELECT state, severity, detail FROM alerts WHERE key = ?1")
      .bind(`mls_keys_short:${MLS_ID}`)
      .first<{ state: string; severity: string; detail: string }>();
    expect(alert).toMatchObject({ state: "firing", severity: "critical" });
    expect(alert?.detail).toContain("saw 10 of the 40 listings");
  });
});
