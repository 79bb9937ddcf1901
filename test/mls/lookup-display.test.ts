import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX } from "../helpers/sandbox";
import { brokerageConfig } from "../../src/config/load";
import { scheduleMls } from "../../src/cron/mls";
import { drain, heldKeys, mlsControl, mlsSetup, MLS_ID, syncedFeed } from "./helpers";

// RESO Data Dictionary 2.0 endorsement (RCP 40) §2.2: a server using the Lookup resource declares
// StandardStatus as Edm.String and sends each value's human friendly name ("Active Under Contract").
describe("an MLS whose StandardStatus is a Lookup-resource field", () => {
  const s = mlsSetup();

  it("is replicated whole, each status held in the Data Dictionary's enumeration form", async () => {
    await syncedFeed(s, 40, { lookupDisplay: true });
    const [a, b] = (await heldKeys()).map((k) => k.key);
    await mlsControl("change", { action: "status", to: "ActiveUnderContract", keys: [a] });
    await mlsControl("change", { action: "status", to: "ComingSoon", keys: [b] });
    await scheduleMls(s.appEnv, brokerageConfig(s.appEnv), Date.now() + 30 * 60_000);
    await drain(s, 30);
    const res = await fetch(`${SANDBOX}/reso/odata/Property?$top=40`, { headers: { authorization: `Bearer ${env.RESO_BEARER_TOKEN}` } });
    const served = (await res.json<{ value: Array<{ ListingKey: string; StandardStatus: string }> }>()).value;
    expect(served.map((l) => l.StandardStatus)).toEqual(expect.arrayContaining(["Active Under Contract", "Coming Soon"]));
    const held = await env.DB.prepare("SELECT listing_key AS key, standard_status AS status FROM listings WHERE connection = ?1")
      .bind(MLS_ID)
      .all<{ key: string; status: string }>();
    expect(held.results).toHaveLength(40);
    const status = new Map(held.results.map((r) => [r.key, r.status]));
    for (const l of served) expect(status.get(l.ListingKey)).toBe(l.StandardStatus.replaceAll(" ", ""));
    const refused = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM traces WHERE stage = 'LISTING_REJECTED' AND subject IN (SELECT 'listing:' || value FROM json_each(?1))",
    )
      .bind(JSON.stringify(served.map((l) => l.ListingKey)))
      .first<number>("n");
    expect(refused).toBe(0);
  });
});
