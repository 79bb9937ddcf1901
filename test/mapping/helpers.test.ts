import { describe, expect, it } from "vitest";
import { maskSample } from "../../src/mapping";
import { normalize } from "../../src/mapping/normalizers";
import type { FieldMap, NormalizerName } from "../../src/mapping/types";
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

describe("instant normalizer (vendor timestamps)", () => {
  const map: FieldMap = { name: "t", system: "followupboss", event: "person.upserted", subject: "person", rules: [] };
  const instant = (raw: unknown) => normalize(raw, { from: "t", to: "$.occurredAt", norm: "instant" }, map);

  it.each([
    ["2024-02-29T10:00:00Z", "2024-02-29T10:00:00.000Z"],
    ["2024-03-05T12:00:00.1234567-05:00", "2024-03-05T17:00:00.123Z"],
    ["2024-03-05T12:00:00+0130", "2024-03-05T10:30:00.000Z"],
    ["2024-03-05 12:00:00", "2024-03-05T12:00:00.000Z"],
    ["2024-03-05", "2024-03-05T00:00:00.000Z"],
    [1709640000, "2024-03-05T12:00:00.000Z"],
    [1709640000000, "2024-03-05T12:00:00.000Z"],
  ])("reads %j as %s", (raw, iso) => {
    expect(instant(raw)).toEqual({ ok: true, value: iso });
  });

  it("reads SkySlope's 0001-01-01 placeholder and blanks as no value", () => {
    expect(instant("0001-01-01T00:00:00")).toEqual({ ok: true, value: undefined });
    expect(instant("  ")).toEqual({ ok: true, value: undefined });
  });

  it.each(["2024-02-30T10:00:00Z", "2023-02-29", "2024-13-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-03-05T24:30:00Z", "yesterday"])(
    "refuses %j rather than reading another day",
    (raw) => {
      expect(instant(raw)).toMatchObject({ ok: false, code: "instant_invalid" });
    },
  );
});

describe("number and yes/no normalizers", () => {
  const map: FieldMap = { name: "t", system: "dotloop", event: "transaction.upserted", subject: "transaction", rules: [] };
  const read = (norm: NormalizerName, raw: unknown) => normalize(raw, { from: "t", to: "$.x", norm }, map);

  it("reads US digit grouping and a percent sign", () => {
    expect(read("number", "1,250.5")).toEqual({ ok: true, value: 1250.5 });
    expect(read("percent", "2.5%")).toEqual({ ok: true, value: 2.5 });
    expect(read("percent", "3 %")).toEqual({ ok: true, value: 3 });
    expect(read("int", "-4")).toEqual({ ok: true, value: -4 });
  });

  it("refuses a decimal comma or split digits rather than reading them ten times larger", () => {
    expect(read("percent", "2,5")).toMatchObject({ ok: false, code: "percent_invalid" });
    expect(read("number", "2,5")).toMatchObject({ ok: false, code: "number_invalid" });
    expect(read("int", "3 0")).toMatchObject({ ok: false, code: "int_invalid" });
  });

  it("reads a ticked checkbox's on and off", () => {
    expect(read("bool", "on")).toEqual({ ok: true, value: true });
    expect(read("bool", "OFF")).toEqual({ ok: true, value: false });
    expect(read("bool", "maybe")).toMatchObject({ ok: false, code: "bool_invalid" });
  });
});
