import { describe, expect, it } from "vitest";
import { maskSample } from "../../src/mapping";
import { isSimilarKey } from "../../src/mapping/similar";
import { parseVendorEvent } from "../../src/mapping/vendor-events";

describe("maskSample (what ops see of a value)", () => {
  it.each([
    ["ana.ruiz@example.com", "a***@example.com"],
    ["555-0100", "###-##00"],
    ["(415) 666-7777 ext 12", "(###) ###-#### *** 12"],
    ["Ana Ruiz", "A***"],
    ["$450,000", "$450,000"],
    [5558675309, "########09"],
    [450000, "450000"],
    [null, "null"],
    [["a", "b"], "array(2)"],
    [{ street: "1 Main", city: "X" }, "object{street,city}"],
  ])("%j → %s", (value, masked) => {
    expect(maskSample(value)).toBe(masked);
  });

  it("never exceeds 60 characters", () => {
    expect(maskSample({ [`k${"x".repeat(100)}`]: 1 }).length).toBeLessThanOrEqual(60);
  });
});

describe("isSimilarKey (renamed-field detection)", () => {
  it.each([
    ["status", "transaction_status"],
    ["zipCode", "zip_code"],
    ["phone_number", "phone_num"],
    ["contact_email_address", "contact_email_adress"],
  ])("%s ~ %s", (a, b) => expect(isSimilarKey(a, b)).toBe(true));

  it.each([
    ["email", "message"],
    ["city", "country"],
    ["id", "ids"],
    ["price", "prize_draw"],
  ])("%s !~ %s", (a, b) => expect(isSimilarKey(a, b)).toBe(false));
});

describe("vendor event names", () => {
  it.each([
    ["followupboss", "peopleCreated", { resource: "person", action: "created" }],
    ["followupboss", "peopleStageUpdated", { resource: "person", action: "updated" }],
    ["followupboss", "dealsDeleted", { resource: "deal", action: "deleted" }],
    ["followupboss", "textMessagesCreated", { resource: "text_message", action: "created" }],
    ["dotloop", "LOOP_MERGED", { resource: "loop", action: "merged" }],
    ["dotloop", "LOOP_PARTICIPANT_DELETED", { resource: "loop", action: "updated" }],
    ["dotloop", "CONTACT_UPDATED", { resource: "contact", action: "updated" }],
    ["quickbooks", "qbo.invoice.voided.v1", { resource: "invoice", action: "voided" }],
  ] as const)("%s %s", (vendor, name, expected) => {
    expect(parseVendorEvent(vendor, name)).toEqual(expected);
  });

  it("returns undefined for names it does not recognise", () => {
    expect(parseVendorEvent("followupboss", "somethingElse")).toBeUndefined();
    expect(parseVendorEvent("quickbooks", "invoice.created")).toBeUndefined();
    expect(parseVendorEvent("nobody", "x")).toBeUndefined();
  });
});
