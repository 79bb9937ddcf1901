import { describe, expect, it } from "vitest";
import type { DealStage } from "../../src/canonical";
import { dotloopDialect } from "../../src/vendors/dotloop/dialect";
import { LOOP_STATUSES, TransactionType } from "../../src/vendors/dotloop/schemas";
import { dealToLoopDetails, dotloopRole, loopStatusFor, usDate } from "../../src/vendors/dotloop/to-vendor";
import { quickBooksDialect } from "../../src/vendors/quickbooks/dialect";
import { SalesDocumentBody } from "../../src/vendors/quickbooks/schemas";
import { commissionDocument, displayName, docNumberFor, queryLiteral, requestIdFor } from "../../src/vendors/quickbooks/to-vendor";
import { loginSignature, loginTimestamp } from "../../src/vendors/skyslope/auth";
import { addressKey } from "../../src/vendors/skyslope/to-vendor";

const STAGES: DealStage[] = ["lead", "active", "showing", "offer", "under_contract", "closed", "cancelled", "archived"];

describe("Dotloop mapping", () => {
  it("every stage becomes a status Dotloop allows for every transaction type", () => {
    for (const type of TransactionType.options) {
      for (const stage of STAGES) expect(LOOP_STATUSES[type]).toContain(loopStatusFor(type, stage));
    }
    expect(loopStatusFor("PURCHASE_OFFER", "closed")).toBe("SOLD");
    expect(loopStatusFor("LEASE_OFFER", "closed")).toBe("LEASED");
    expect(loopStatusFor("LISTING_FOR_SALE", "active")).toBe("ACTIVE_LISTING");
    // A brokerage's own status map wins where the transaction type allows its status.
    expect(loopStatusFor("LISTING_FOR_SALE", "active", { PRIVATE_LISTING: "active" })).toBe("PRIVATE_LISTING");
    expect(loopStatusFor("PURCHASE_OFFER", "active", { PRIVATE_LISTING: "active" })).toBe("PRE_OFFER");
  });

  it("the co-op agent and attorneys take the other side's or own side's role", () => {
    expect(dotloopRole("co_op_agent", "buy")).toBe("LISTING_AGENT");
    expect(dotloopRole("co_op_agent", "list")).toBe("BUYING_AGENT");
    expect(dotloopRole("attorney", "buy")).toBe("BUYER_ATTORNEY");
    expect(dotloopRole("attorney", "list")).toBe("SELLER_ATTORNEY");
  });

  it("details carry money in plain dollars and dates as MM/DD/YYYY, and leave out what is unknown", () => {
    const details = dealToLoopDetails({ purchasePrice: 42_500_050, dates: { estimatedClosing: "2026-06-15T17:00:00Z" }, participants: [] });
    expect(details).toEqual({ Financials: { "Purchase/Sale Price": "425000.50" }, "Contract Dates": { "Closing Date": "06/15/2026" } });
    expect(usDate("not a date")).toBeUndefined();
  });

  it("reads X-RateLimit-Reset as milliseconds until the window resets", () => {
    const h = new Headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1500" });
    expect(dotloopDialect.limits(h, 200)).toEqual({ remaining: 0, resetMs: 1500 });
    expect(dotloopDialect.limits(new Headers(), 200)).toEqual({});
  });
});

describe("QuickBooks mapping", () => {
  it("amounts come from integer cents with at most two decimals, and the body validates", () => {
    const doc = commissionDocument({ customerId: "58", grossCents: 30, itemRef: "1", description: "Commission" });
    expect(doc.Line[0]?.Amount).toBe(0.3);
    expect(
      SalesDocumentBody.safeParse(commissionDocument({ customerId: "58", grossCents: 123_456_789, itemRef: "1", description: "x" }))
        .success,
    ).toBe(true);
    expect(() => commissionDocument({ customerId: "58", grossCents: 10.5, itemRef: "1", description: "x" })).toThrow(RangeError);
  });

  it("request ids and document numbers are the same for the same ids, different otherwise, and within QuickBooks' lengths", async () => {
    const a = await requestIdFor("deal_1", "invoice");
    expect(await requestIdFor("deal_1", "invoice")).toBe(a);
    expect(await requestIdFor("deal_1", "bill", "Alex Kim")).not.toBe(a);
    expect(await requestIdFor("deal_1i", "nvoice")).not.toBe(a); // parts are separated, not glued
    expect(a.length).toBeLessThanOrEqual(50);
    expect((await docNumberFor("deal_1", "invoice")).length).toBeLessThanOrEqual(21);
  });

  it("escapes query literals and cleans display names", () => {
    expect(queryLiteral("O'Brien \\ Sons")).toBe("'O\\'Brien \\\\ Sons'");
    expect(displayName("  Ana:\tRuiz ")).toBe("Ana Ruiz");
  });

  it("reads the Fault's message, detail and code", () => {
    const body = {
      Fault: { Error: [{ Message: "Invalid Reference Id", Detail: "Customer 9 does not exist", code: "2500" }], type: "ValidationFault" },
    };
    expect(quickBooksDialect.errorMessage(body, 400)).toBe("Invalid Reference Id: Customer 9 does not exist (code 2500)");
    expect(quickBooksDialect.limits(new Headers(), 429)).toEqual({ retryAfterMs: 60_000 });
  });
});

describe("SkySlope mapping", () => {
  it("signs the login as SkySlope documents: base64 HMAC-SHA256 of ClientId:ClientSecret:Timestamp", async () => {
    const ts = loginTimestamp(Date.UTC(2020, 9, 13, 18, 38, 42, 967));
    expect(ts).toBe("2020-10-13T18:38:42Z");
    const creds = { clientId: "c", clientSecret: "s", accessKey: "AK", accessSecret: "secret" };
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("secret"), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const header = await loginSignature(creds, ts);
    const [, ak, mac] = /^SS ([^:]+):(.+)$/.exec(header) ?? [];
    expect(ak).toBe("AK");
    const sig = Uint8Array.from(atob(mac ?? ""), (ch) => ch.charCodeAt(0));
    expect(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(`c:s:${ts}`))).toBe(true);
  });

  it("compares addresses by number, street and ZIP, ignoring case and punctuation", () => {
    expect(addressKey({ streetNumber: "100", streetAddress: "Main St.", zip: "95814-1234" })).toBe(
      addressKey({ streetNumber: "100", streetAddress: "main st", zip: "95814" }),
    );
    expect(addressKey({ streetNumber: "100", streetAddress: "Main St", zip: "95814" })).not.toBe(
      addressKey({ streetNumber: "101", streetAddress: "Main St", zip: "95814" }),
    );
    expect(addressKey({ streetAddress: "Main St" })).toBeNull();
  });
});
