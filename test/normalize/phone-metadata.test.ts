import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from "libphonenumber-js/core/es6";
import examples from "libphonenumber-js/examples.mobile.json";
import fullMetadata from "libphonenumber-js/metadata.min.json";
import { describe, expect, it } from "vitest";
import cases from "../../../shared/data/phones_us/libphonenumber_matcher_cases_us.json";
import { assignedCallingCodes, PHONE_CALLING_CODES, type PhoneMetadataJson, trimPhoneMetadata } from "../../scripts/lib/phone-metadata";
import { normalizePhone } from "../../src/normalize";
import shippedCodes from "../../src/normalize/phone-calling-codes.json";
import shipped from "../../src/normalize/phone-metadata.json";

const full = fullMetadata as unknown as PhoneMetadataJson;
const trimmed = shipped as unknown as MetadataJson;
const kept = new Set<string>(PHONE_CALLING_CODES);
const regions = Object.keys(full.countries) as CountryCode[];
const callingCode = (region: string) => String(full.countries[region]?.[0]);
/** Each region's example number (libphonenumber's own), national and international. */
const example = (region: CountryCode) => examples[region] ?? "";
const keptRegions = regions.filter((r) => kept.has(callingCode(r)) && example(r) !== "");
const droppedRegions = regions.filter((r) => !kept.has(callingCode(r)) && example(r) !== "");

/** What a parse tells the hub: the number, its validity and extension, or nothing. */
function reading(metadata: MetadataJson, text: string, region: CountryCode) {
  const p = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false }, metadata);
  return p && { number: p.number, valid: p.isValid(), ext: p.ext ?? null, national: p.nationalNumber };
}

describe("the phone metadata the Worker ships", () => {
  it("is what `npm run phone:metadata` derives from the installed libphonenumber-js (run it if this fails)", () => {
    expect(shipped).toEqual(trimPhoneMetadata(full));
    expect(shippedCodes).toEqual(assignedCallingCodes(full));
  });

  it("lists every assigned calling code, the kept ones included, and no code that prefixes another", () => {
    expect(new Set(shippedCodes)).toEqual(new Set(Object.keys(full.country_calling_codes)));
    for (const code of PHONE_CALLING_CODES) expect(shippedCodes).toContain(code);
    const prefixing = shippedCodes.flatMap((a) => shippedCodes.filter((b) => b !== a && b.startsWith(a)).map((b) => `${a} < ${b}`));
    expect(prefixing).toEqual([]);
  });

  it("carries every region of each kept calling code, so a shared code (+1, +44) still finds its country", () => {
    for (const code of PHONE_CALLING_CODES) expect(Object.keys(shipped.country_calling_codes)).toContain(code);
    expect(Object.keys(shipped.countries).sort()).toEqual(regions.filter((r) => kept.has(callingCode(r))).sort());
  });

  it("reads every kept region's numbers exactly as the library's full metadata does", () => {
    expect(keptRegions.length).toBeGreaterThan(30);
    let compared = 0;
    for (const region of keptRegions) {
      const national = example(region);
      const inputs = [national, `+${callingCode(region)} ${national}`, `${national} ext. 12`, national.slice(0, -1), `${national}9`];
      for (const text of inputs) {
        expect(reading(trimmed, text, region), `${region} ${text}`).toEqual(reading(fullMetadata, text, region));
        expect(reading(trimmed, text, "US"), `US ${text}`).toEqual(reading(fullMetadata, text, "US"));
        compared += 2;
      }
    }
    for (const c of cases as Array<{ input: string }>) {
      expect(reading(trimmed, c.input, "US"), c.input).toEqual(reading(fullMetadata, c.input, "US"));
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });
});

describe("normalizePhone outside the kept calling codes", () => {
  it("keeps a number of any other country, written with its calling code, as the library's E.164, unchecked", () => {
    expect(droppedRegions.length).toBeGreaterThan(150);
    for (const region of droppedRegions) {
      const text = `+${callingCode(region)} ${example(region)}`;
      // Each of these is a number the library's full metadata calls valid: the Worker keeps the same E.164.
      const full = reading(fullMetadata, text, "US");
      expect(full?.valid, text).toBe(true);
      expect(normalizePhone(text), text).toEqual({ ok: true, e164: full?.number, checked: false });
    }
  });

  it("reads one dialled from the US with the 011 international prefix the same way", () => {
    expect(normalizePhone("011 33 1 42 68 53 00")).toEqual({ ok: true, e164: "+33142685300", checked: false });
  });
});
