import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { setSettings } from "../helpers/sandbox";
import { mlsRequests, mlsSetup, MLS_ID, syncedFeed } from "./helpers";

// OData JSON Format 4.01 §4.3: a payload's URLs MAY be relative, to the context URL
// (`{service root}/$metadata#Property`), so a next link may read `Property?$skiptoken=…`.
describe("an MLS that writes its next links relative to the service root", () => {
  const s = mlsSetup();
  afterEach(() => setSettings("reso", { relativeLinks: false }));

  it("is replicated whole, each page read by following the link the page before gave", async () => {
    await syncedFeed(s, 60, { relativeLinks: true });

    const sync = await env.DB.prepare("SELECT status, records, error FROM listing_sync WHERE connection = ?1 AND job = 'Property'")
      .bind(MLS_ID)
      .first();
    expect(sync).toEqual({ status: "idle", records: 60, error: null });
    const pages = (await mlsRequests()).filter((r) => r.url.startsWith("/reso/odata/Property"));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.slice(1).every((r) => r.url.includes("skiptoken=") && r.status === 200)).toBe(true);
  });
});
