import { describe, expect, it } from "vitest";
import cases from "../../../shared/data/phones_us/libphonenumber_matcher_cases_us.json";
import chicagoCsv from "../../../shared/data/dedupe_chicago_ece/csv_example_input_with_true_ids.csv?raw";
import { normalizePhone } from "../../src/normalize";

interface PhoneCase {
  input: string;
  google_matcher_category: string;
  real_metadata_google_libphonenumber: { e164?: string; ext?: string | null; valid?: boolean };
}
const all = cases as PhoneCase[];

describe("normalizePhone", () => {
  it("formats US numbers in any common layout as E.164", () => {
    for (const raw of ["(415) 666-7777", "415.666.7777", "415-666-7777", "+1 415 666 7777", "1-415-666-7777", "４１５６６６７７７７"]) {
      expect(normalizePhone(raw)).toEqual({ ok: true, e164: "+14156667777" });
    }
  });

  it("keeps an extension apart", () => {
    expect(normalizePhone("415-666-7777 ext. 503")).toEqual({ ok: true, e164: "+14156667777", ext: "503" });
    expect(normalizePhone("(312) 555-0123 x12")).toEqual({ ok: true, e164: "+13125550123", ext: "12" });
  });

  it("accepts international numbers written with +", () => {
    expect(normalizePhone("+44 20 7946 0958")).toEqual({ ok: true, e164: "+442079460958" });
  });

  it("keeps French, Brazilian and Australian numbers as E.164 marked unchecked, with their extension apart", () => {
    expect(normalizePhone("+33 6 12 34 56 78")).toEqual({ ok: true, e164: "+33612345678", checked: false });
    expect(normalizePhone("011 33 (0)6 12 34 56 78")).toEqual({ ok: true, e164: "+33612345678", checked: false });
    expect(normalizePhone("+55 11 91234-5678")).toEqual({ ok: true, e164: "+5511912345678", checked: false });
    expect(normalizePhone("+61 2 9374 4000 ext. 12")).toEqual({ ok: true, e164: "+61293744000", ext: "12", checked: false });
  });

  it("refuses an unchecked number too short or too long for E.164, and a calling code no country has", () => {
    expect(normalizePhone("+33 123")).toEqual({ ok: false, code: "phone_too_short" });
    expect(normalizePhone("+33 1234 5678 9012 3456")).toEqual({ ok: false, code: "phone_invalid" });
    expect(normalizePhone("+999 1234 5678")).toEqual({ ok: false, code: "phone_invalid" });
    expect(normalizePhone("011 999 1234 5678")).toEqual({ ok: false, code: "phone_invalid" });
  });

  it("uses the region for numbers without a country code", () => {
    expect(normalizePhone("020 7946 0958", "GB")).toEqual({ ok: true, e164: "+442079460958" });
  });

  it("refuses a 7-digit number instead of inventing an area code", () => {
    expect(normalizePhone("555-1234")).toEqual({ ok: false, code: "phone_no_area_code" });
  });

  it("rejects dates, times, short and impossible strings with a code", () => {
    expect(normalizePhone("")).toEqual({ ok: false, code: "phone_empty" });
    expect(normalizePhone("   ")).toEqual({ ok: false, code: "phone_empty" });
    expect(normalizePhone("03/27/2011")).toEqual({ ok: false, code: "phone_not_a_number" });
    expect(normalizePhone("2012-01-02 08:00")).toEqual({ ok: false, code: "phone_not_a_number" });
    expect(normalizePhone("call me")).toEqual({ ok: false, code: "phone_not_a_number" });
    expect(normalizePhone("12345")).toEqual({ ok: false, code: "phone_too_short" });
    // 712 area code, but exchange 111 does not exist.
    expect(normalizePhone("7121115678")).toEqual({ ok: false, code: "phone_invalid" });
    expect(normalizePhone("415 666 7777", "XX")).toEqual({ ok: false, code: "phone_invalid" });
  });
});

describe("normalizePhone on Google libphonenumber's US matcher cases", () => {
  const valid = all.filter((c) => c.real_metadata_google_libphonenumber.valid === true);
  const impossible = all.filter((c) => c.google_matcher_category === "IMPOSSIBLE_CASES");
  const otherInvalid = all.filter(
    (c) => c.real_metadata_google_libphonenumber.valid !== true && c.google_matcher_category !== "IMPOSSIBLE_CASES",
  );

  it("has the cases the README describes", () => {
    expect(all).toHaveLength(42);
    expect(impossible).toHaveLength(15);
    expect(valid.length).toBeGreaterThan(20);
  });

  it.each(valid.map((c) => [c.input, c] as const))("valid %j → the oracle's E.164 exactly", (_, c) => {
    const oracle = c.real_metadata_google_libphonenumber;
    const r = normalizePhone(c.input, "US");
    expect(r.ok && { e164: r.e164, ext: r.ext ?? null }).toEqual({ e164: oracle.e164, ext: oracle.ext ?? null });
  });

  it.each([...impossible, ...otherInvalid].map((c) => [c.input] as const))("impossible or invalid %j is rejected", (input) => {
    expect(normalizePhone(input, "US").ok).toBe(false);
  });
});

describe("normalizePhone on the Chicago ECE phones (7 digits, no area code)", () => {
  const sevenDigit = [...chicagoCsv.matchAll(/,(\d{7}),/g)].map((m) => m[1] ?? "");

  it("refuses every one of them with phone_no_area_code", () => {
    expect(sevenDigit.length).toBeGreaterThan(3000);
    const refused = sevenDigit.filter((p) => {
      const r = normalizePhone(p);
      return !r.ok && r.code === "phone_no_area_code";
    });
    expect(refused.length).toBe(sevenDigit.length);
  });
});
