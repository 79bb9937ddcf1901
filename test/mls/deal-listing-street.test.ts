import { beforeAll, describe, expect, it } from "vitest";
import { dealUnderContract } from "../helpers/deals";
import { resetSandbox } from "../helpers/sandbox";
import { dealLoop, linkedListing, replicatedFeed, streetOf, type FeedListing } from "./helpers";

describe("a CRM deal named by a street address without ZIP", () => {
  let feed: FeedListing[] = [];

  beforeAll(async () => {
    await resetSandbox();
    feed = await replicatedFeed(30);
  });

  it("is linked to the one listing at that address, and the loop gets its ZIP and MLS number while the deal's own price stays", async () => {
    const l = feed.find((x) => x["UnitNumber"] === null && feed.filter((y) => streetOf(y) === streetOf(x)).length === 1) ?? {};
    const deal = await dealUnderContract(
      { firstName: "Omar", lastName: "Streetdeal", email: `omar.${crypto.randomUUID().slice(0, 8)}@example.com`, phone: "5125550192" },
      streetOf(l),
      450000,
    );
    expect(await linkedListing(deal.dealId)).toBe(l["ListingKey"]);
    const loop = await dealLoop();
    expect(loop.details["Property Address"]).toMatchObject({ "Zip/Postal Code": l["PostalCode"], "MLS Number": l["ListingId"] });
    // What the deal says wins over the MLS: its own price is the sale price.
    expect(loop.details["Financials"]).toMatchObject({ "Purchase/Sale Price": "450000" });
  });
});
