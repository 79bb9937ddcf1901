/**
 * SkySlope's published bodies through the hub's own parsers and maps (pure; no bindings). The
 * sandbox's answers are checked against the same bodies in sandbox-skyslope.test.ts.
 */
import { describe, expect, it } from "vitest";
import { mapSkySlopeListing, mapSkySlopeSale } from "../../src/mapping";
import { uiLink } from "../../src/vendors/skyslope/client";
import { SkySlopeFilesAnswer, skySlopeCreateAnswer } from "../../src/vendors/skyslope/schemas";
import bulkExport from "./skyslope/bulk-export.response.json";
import createListing from "./skyslope/create-listing.response.json";

const ctx = { deliveryId: "dlv_contract", receivedAt: Date.UTC(2020, 9, 14) };

describe("SkySlope published bodies", () => {
  it("the create answer's guid, warnings and UI link are read from SkySlope's sample (links at the top level, rel SkySlope)", () => {
    const r = skySlopeCreateAnswer("listingGuid").parse(createListing);
    expect(r.guid).toBe("89ff1a84-c3af-493a-8649-56934f3450a7");
    expect(r.warnings).toEqual([]);
    expect(uiLink(r.links)).toBe("https://app.skyslope.com/CreateListing.aspx?id=4908492");
  });

  it("a relative href is an API path, never taken for the UI page", () => {
    expect(uiLink([{ rel: "SkySlope", href: "api/files/sales/x" }])).toBeUndefined();
  });

  it("the bulk export is read as SkySlope's bare array and as a client library's root value", () => {
    for (const body of [bulkExport, { value: bulkExport }]) {
      const r = SkySlopeFilesAnswer.parse(body);
      expect(r.files.map((f) => f.objectType)).toEqual(["sale", "listing", "sale"]);
      expect(r.files.map((f) => f.saleGuid ?? f.listingGuid)).toEqual([
        "5342bb92-4f6d-4df2-bb03-7be81e2336c7",
        "4b9624c6-effc-44cc-9f38-6cef37ee0aa3",
        "e7eb561a-5d5f-402d-944e-4038242378cb",
      ]);
      expect(r.files[0]?.agentGuid).toBe("48433422-c9d7-4f5b-979c-b26a9fad130d");
    }
  });

  it("every published file maps to a transaction with no drift; 0001-01-01 reads as no date", () => {
    const [sale, listing, undated] = bulkExport;
    const s = mapSkySlopeSale(sale, ctx);
    const l = mapSkySlopeListing(listing, ctx);
    const u = mapSkySlopeSale(undated, ctx);
    for (const out of [s, l, u]) {
      if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
      expect(out.drift).toEqual([]);
    }
    const tx = (out: typeof s) => (out.ok ? out.events.find((e) => e.type === "transaction.upserted") : undefined);
    const first = tx(s);
    if (first?.type !== "transaction.upserted") throw new Error("no transaction");
    expect(first.data.transaction).toMatchObject({
      id: "5342bb92-4f6d-4df2-bb03-7be81e2336c7",
      purchasePrice: 1000,
      dates: { contract: "2020-10-13T00:00:00.000Z", estimatedClosing: "2020-10-15T00:00:00.000Z" },
    });
    const third = tx(u);
    if (third?.type !== "transaction.upserted") throw new Error("no transaction");
    expect(third.data.transaction.dates.contract).toBeUndefined();
  });
});
