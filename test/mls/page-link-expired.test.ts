import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { resetSandbox, setSettings } from "../helpers/sandbox";
import { drain, freshReplica, mlsControl, mlsRequests, mlsSetup, MLS_ID } from "./helpers";

const held = async () =>
  (
    await env.DB.prepare("SELECT COUNT(*) AS n FROM listings WHERE connection = ?1 AND out_of_feed_at IS NULL")
      .bind(MLS_ID)
      .first<{ n: number }>()
  )?.n ?? 0;

/** The hub has never replicated the connection: its next schedule starts a first sync. */
async function forget(): Promise<void> {
  await env.DB.prepare("DELETE FROM listing_sync WHERE connection = ?1").bind(MLS_ID).run();
  await env.DB.prepare("DELETE FROM listings WHERE connection = ?1").bind(MLS_ID).run();
}

const run = (job: string) =>
  env.DB.prepare("SELECT status, error, records FROM listing_sync WHERE connection = ?1 AND job = ?2").bind(MLS_ID, job).first();

// RESO's Web API Core says nothing of how long a server's @odata.nextLink serves, nor what a stale
// one answers: a run must not hang on a link the server no longer honours.
describe("an MLS whose next-page links expire before the hub follows them", () => {
  const s = mlsSetup();
  afterEach(() => setSettings("reso", { pageLinks: null }));

  it("finishes a first sync from the run's own cursor: every listing arrives and the run ends idle", async () => {
    await resetSandbox();
    await mlsControl("seed", { count: 60 });
    await forget();
    await setSettings("reso", { pageLinks: { lifetimeSeconds: 0, status: 410 } });

    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now());
    await drain(s, 20);

    expect(s.queued).toEqual([]);
    expect(await run("Property")).toEqual({ status: "idle", error: null, records: expect.any(Number) });
    expect(await held()).toBe(60);
    const asked = (await mlsRequests()).filter((r) => r.url.startsWith("/reso/odata/Property"));
    const refused = asked.findIndex((r) => r.status === 410);
    expect(refused).toBeGreaterThan(0);
    expect(asked[refused + 1]?.url).toMatch(/ModificationTimestamp(%20|\+| )ge(%20|\+| )/);
    expect(asked[refused + 1]?.status).toBe(200);
  });

  it("finishes a keys-only pass from the last key it saw, marking no listing out of feed", async () => {
    await forget();
    const { config, t0 } = await freshReplica(s, 60);
    await setSettings("reso", { pageLinks: { lifetimeSeconds: 0, status: 400 } });

    expect(await scheduleMls(s.appEnv, config, t0 + 6 * 60_000)).toContain("Property#keys:started:1");
    await drain(s, 20);

    expect(s.queued).toEqual([]);
    expect(await run("Property#keys")).toEqual({ status: "idle", error: null, records: 60 });
    expect(await held()).toBe(60);
    const asked = (await mlsRequests()).filter((r) => /(\$|%24)select=ListingKey/.test(r.url));
    const refused = asked.findIndex((r) => r.status === 400);
    expect(refused).toBeGreaterThan(0);
    expect(asked[refused + 1]?.url).toMatch(/ListingKey(%20|\+| )gt(%20|\+| )/);
  });
});
