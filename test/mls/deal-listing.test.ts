import { beforeAll, describe, expect, it } from "vitest";
import { dealUnderContract } from "../helpers/deals";
import { stagesOf } from "../helpers/people";
import { resetSandbox } from "../helpers/sandbox";
import { dealLoop, linkedListing, replicatedFeed } from "./helpers";

describe("a CRM deal naming a replicated MLS listing by its MLS number", () => {
  let feed: Array<Record<string, string | number | null>> = [];

  beforeAll(async () => {
    await resetSandbox();
    feed = await replicatedFeed(30);
  });

  it("is linked to the listing, and its transaction gets the listing's address, MLS number, price and rooms", async () => {
    const l = feed.find((x) => x["BedroomsTotal"] !== null && x["UnitNumber"] === null) ?? {};
    const deal = await dealUnderContract(
      { firstName: "Nadia", lastName: "Mlsdeal", email: `nadia.${crypto.randomUUID().slice(0, 8)}@example.com`, phone: "5125550191" },
      `Nadia purchase MLS# ${String(l["ListingId"])}`,
      400000,
    );
    expect(await linkedListing(deal.dealId)).toBe(l["ListingKey"]);
    expect(await stagesOf(deal.dealId)).toContain("LISTING_LINKED");
    const loop = await dealLoop();
    expect(loop.details["Property Address"]).toMatchObject({
      "Street Number": l["StreetNumber"],
      "Zip/Postal Code": l["PostalCode"],
      City: l["City"],
      "MLS Number": l["ListingId"],
    });
    expect(loop.details["Property"]).toMatchObject({ Bedrooms: String(l["BedroomsTotal"]) });
    expect(loop.details["Listing Information"]).toMatchObject({ "Current Price": String(l["ListPrice"]) });
  });
});
