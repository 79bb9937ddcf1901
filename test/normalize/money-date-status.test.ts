import { describe, expect, it } from "vitest";
import lookups from "../../../shared/data/reso_data_dictionary/dd2.0_lookups.csv?raw";
import { DealStage, ListingStatus, mapStatus, parseDate, parseMoney } from "../../src/normalize";

describe("parseMoney", () => {
  it("turns dollar strings and numbers into integer cents", () => {
    expect(parseMoney("$450,000")).toEqual({ ok: true, value: 45_000_000 });
    expect(parseMoney("25,000")).toEqual({ ok: true, value: 2_500_000 });
    expect(parseMoney("1,234.56")).toEqual({ ok: true, value: 123_456 });
    expect(parseMoney("$ 450,000.00 USD")).toEqual({ ok: true, value: 45_000_000 });
    expect(parseMoney(450000)).toEqual({ ok: true, value: 45_000_000 });
    expect(parseMoney(1234.56)).toEqual({ ok: true, value: 123_456 });
    expect(parseMoney(0.1 + 0.2)).toEqual({ ok: true, value: 30 });
    expect(parseMoney(".5")).toEqual({ ok: true, value: 50 });
  });

  it("reads K and M shorthand exactly", () => {
    expect(parseMoney("$450K")).toEqual({ ok: true, value: 45_000_000 });
    expect(parseMoney("1.25M")).toEqual({ ok: true, value: 125_000_000 });
  });

  it("rejects garbage, bad grouping, fractions of a cent and negatives", () => {
    for (const bad of ["", "abc", "1,23", "1.234,56", "12.345", "$", "1e5", "NaN", "--5", "4 50"]) {
      expect(parseMoney(bad), bad).toMatchObject({ ok: false, code: "money_invalid" });
    }
    expect(parseMoney(Number.NaN)).toMatchObject({ ok: false, code: "money_invalid" });
    expect(parseMoney(1.005)).toMatchObject({ ok: false, code: "money_invalid" });
    expect(parseMoney("-5.00")).toMatchObject({ ok: false, code: "money_invalid" });
    expect(parseMoney("(1,234.56)")).toMatchObject({ ok: false, code: "money_invalid" });
  });

  it("allows negatives when asked (refunds)", () => {
    expect(parseMoney("(1,234.56)", { allowNegative: true })).toEqual({ ok: true, value: -123_456 });
    expect(parseMoney(-20, { allowNegative: true })).toEqual({ ok: true, value: -2000 });
  });
});

describe("parseDate", () => {
  it("gives date-only input as YYYY-MM-DD", () => {
    expect(parseDate("11/01/2017")).toEqual({ ok: true, value: "2017-11-01" });
    expect(parseDate("March 05, 2017")).toEqual({ ok: true, value: "2017-03-05" });
    expect(parseDate("2017-03-05")).toEqual({ ok: true, value: "2017-03-05" });
    expect(parseDate("5 Mar 2017")).toEqual({ ok: true, value: "2017-03-05" });
    expect(parseDate("Sunday, Sept. 3rd, 2017")).toEqual({ ok: true, value: "2017-09-03" });
    expect(parseDate("20170305")).toEqual({ ok: true, value: "2017-03-05" });
    expect(parseDate("3/5/17")).toEqual({ ok: true, value: "2017-03-05" });
  });

  it("gives date-times and epoch milliseconds as UTC instants", () => {
    expect(parseDate("2017-03-05T12:00:00Z")).toEqual({ ok: true, value: "2017-03-05T12:00:00.000Z" });
    expect(parseDate("2017-03-05T07:00:00-05:00")).toEqual({ ok: true, value: "2017-03-05T12:00:00.000Z" });
    expect(parseDate("2017-03-05 12:00")).toEqual({ ok: true, value: "2017-03-05T12:00:00.000Z" });
    expect(parseDate("11/01/2017 3:45 PM")).toEqual({ ok: true, value: "2017-11-01T15:45:00.000Z" });
    expect(parseDate(1488715200000)).toEqual({ ok: true, value: "2017-03-05T12:00:00.000Z" });
    expect(parseDate("1488715200000")).toEqual({ ok: true, value: "2017-03-05T12:00:00.000Z" });
  });

  it("rejects impossible dates and times", () => {
    for (const bad of [
      "02/30/2020",
      "2019-02-29",
      "13/01/2017",
      "2017-03-05T25:00",
      "11/01/2017 13:00 PM",
      "yesterday",
      "0001-01-01",
      "March 32, 2017",
    ]) {
      expect(parseDate(bad), bad).toMatchObject({ ok: false, code: "date_invalid" });
    }
    expect(parseDate("2020-02-29")).toEqual({ ok: true, value: "2020-02-29" });
    expect(parseDate("")).toMatchObject({ ok: false, code: "date_empty" });
    expect(parseDate(Number.POSITIVE_INFINITY)).toMatchObject({ ok: false, code: "date_invalid" });
  });
});

describe("mapStatus", () => {
  it("maps every dotloop loop status", () => {
    const expected = {
      PRE_OFFER: "offer",
      PRE_LISTING: "active",
      PRIVATE_LISTING: "active",
      ACTIVE_LISTING: "active",
      UNDER_CONTRACT: "under_contract",
      SOLD: "closed",
      LEASED: "closed",
      ARCHIVED: "archived",
      NEW: "lead",
      IN_PROGRESS: "active",
      DONE: "closed",
    };
    for (const [raw, stage] of Object.entries(expected)) expect(mapStatus("dotloop", raw)).toEqual({ ok: true, value: stage });
  });

  it("maps SkySlope statuses case-insensitively", () => {
    expect(mapStatus("skyslope", "Incomplete")).toEqual({ ok: true, value: "active" });
    expect(mapStatus("skyslope", "PENDING")).toEqual({ ok: true, value: "under_contract" });
    expect(mapStatus("skyslope", "canceled")).toEqual({ ok: true, value: "cancelled" });
    expect(mapStatus("skyslope", "Cancelled")).toEqual({ ok: true, value: "cancelled" });
    expect(mapStatus("skyslope", "expired")).toEqual({ ok: true, value: "cancelled" });
    expect(mapStatus("SkySlope", "Closed")).toEqual({ ok: true, value: "closed" });
  });

  it("maps Follow Up Boss stage names", () => {
    expect(mapStatus("followupboss", "Lead")).toEqual({ ok: true, value: "lead" });
    expect(mapStatus("followupboss", "Active Client")).toEqual({ ok: true, value: "active" });
    expect(mapStatus("followupboss", "Under Contract")).toEqual({ ok: true, value: "under_contract" });
    expect(mapStatus("fub", "Closed")).toEqual({ ok: true, value: "closed" });
    expect(mapStatus("followupboss", "Trash")).toEqual({ ok: true, value: "archived" });
  });

  it("maps all 11 RESO StandardStatus values from the Data Dictionary", () => {
    const values = [...lookups.matchAll(/^org\.reso\.metadata\.enums\.StandardStatus,(\w+),/gm)].map((m) => m[1] ?? "");
    expect(values.sort()).toEqual([...ListingStatus.options].sort());
    for (const v of values) {
      const r = mapStatus("reso", v);
      expect(r.ok && DealStage.safeParse(r.value).success, v).toBe(true);
    }
    expect(mapStatus("reso", "ActiveUnderContract")).toEqual({ ok: true, value: "under_contract" });
    expect(mapStatus("reso", "Active Under Contract")).toEqual({ ok: true, value: "under_contract" });
  });

  it("refuses unknown statuses and vendors with status_unknown", () => {
    expect(mapStatus("dotloop", "MAYBE")).toMatchObject({ ok: false, code: "status_unknown" });
    expect(mapStatus("dotloop", "constructor")).toMatchObject({ ok: false, code: "status_unknown" });
    expect(mapStatus("nobody", "Active")).toMatchObject({ ok: false, code: "status_unknown" });
  });
});
