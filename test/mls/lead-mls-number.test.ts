import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, post, signedDelivery } from "../helpers/deliveries";
import { resetSandbox } from "../helpers/sandbox";
import { replicatedFeed, type FeedListing } from "./helpers";

/** The listing a lead with this email was linked to, once its inquiry is recorded. */
const inquiredListing = (email: string) =>
  eventually(() =>
    env.DB.prepare("SELECT i.listing_key FROM people p JOIN listing_inquiries i ON i.person_id = p.id WHERE p.email = ?1")
      .bind(email)
      .first<string>("listing_key"),
  );

// An MLS number is unique only within its MLS, and a portal carries several MLSs' listings: the
// number a lead quotes may name another property in the brokerage's feed.
describe("a lead quoting an MLS number and the address of another property", () => {
  let feed: FeedListing[] = [];

  beforeAll(async () => {
    await resetSandbox();
    feed = await replicatedFeed(30);
  });

  it("is linked to the listing at its address, not to the one the number names in this feed", async () => {
    const single = feed.filter((x) => x["UnitNumber"] === null);
    const named = single[0] ?? {};
    const at = single.find((x) => x["StreetNumber"] !== named["StreetNumber"]) ?? {};
    const email = `mls.number.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const lead = {
      type: "lead.created",
      timestamp: new Date().toISOString(),
      data: {
        contact_name: "Ines Otherfeed",
        contact_email_address: email,
        phone_number: "(512) 555-0181",
        message: "Is this still available?",
        listing: {
          mls_id: named["ListingId"],
          street: `${String(at["StreetNumber"])} ${String(at["StreetName"])} ${String(at["StreetSuffix"])}`,
          city: at["City"],
          state: at["StateOrProvince"],
          zip: at["PostalCode"],
        },
      },
    };
    expect((await post(await signedDelivery("zillow", lead))).status).toBe(202);
    expect(await inquiredListing(email)).toBe(at["ListingKey"]);
  });
});
