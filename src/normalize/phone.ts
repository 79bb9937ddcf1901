import {
  getCountryCallingCode,
  type CountryCode,
  type MetadataJson,
  ParseError,
  type PhoneNumber,
  parsePhoneNumberWithError,
} from "libphonenumber-js/core/es6";
import callingCodes from "./phone-calling-codes.json";
import metadataJson from "./phone-metadata.json";

/** Calling codes that are assigned but not in the shipped metadata: kept unchecked, never validated. */
const unchecked = callingCodes.filter((code) => !Object.hasOwn(metadataJson.country_calling_codes, code));

/**
 * libphonenumber's metadata for the calling codes the hub validates (scripts/lib/phone-metadata.ts),
 * plus each other assigned code as a "non-geographic" plan that accepts any digits: the library
 * then still reads the international prefix, punctuation and extension of such a number, and
 * `normalizePhone` judges only its length.
 */
const metadata = {
  ...metadataJson,
  nonGeographic: Object.fromEntries(unchecked.map((code) => [code, [code, 0, "\\d+", [2]]])),
} as unknown as MetadataJson;
const isUnchecked = new Set(unchecked);

const isKnownRegion = (region: string): region is CountryCode => Object.hasOwn(metadataJson.countries, region);

export type PhoneResult =
  /** `checked: false`: a calling code the hub does not validate; only its length was checked. */
  | { ok: true; e164: string; ext?: string; checked?: false }
  | { ok: false; code: "phone_empty" | "phone_invalid" | "phone_too_short" | "phone_no_area_code" | "phone_not_a_number" };

/** A date ("03/27/2011", "2011-03-27") or a clock time: digits that are never a phone number. */
const DATE_OR_TIME = /^\s*\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}\s*$|\d{1,2}:\d{2}/;

/** "+33 (0)6 …": the trunk prefix a domestic caller dials, written for them; not part of E.164. */
const TRUNK_ZERO = /^(\s*(?:\+|0\s*1\s*1)[\s.-]*\d{1,3})[\s.-]*\(\s*0\s*\)/;

/**
 * Normalizes a phone number to E.164 with libphonenumber-js ("min" metadata: its US and CA
 * rules are the same as "max"; other countries are checked by their general number pattern).
 * Only the calling codes in scripts/lib/phone-metadata.ts are validated (+1 and a few countries
 * US brokerages' clients call from). A number written with any other assigned calling code
 * ("+33 6 12 34 56 78", "011 61 2 9374 4000") is kept as `+<code><digits>` with `checked: false`
 * when its length fits E.164 (at least 4 national digits, 7 to 15 in all); a code no country
 * has is `phone_invalid`.
 *
 * Only numbers libphonenumber calls valid are accepted, so dates, times and short strings are
 * rejected rather than guessed; a 7-digit local number is refused (`phone_no_area_code`), never
 * given an invented area code. An extension ("x 123", "ext. 503", "#12") is kept apart.
 */
export function normalizePhone(raw: string, region = "US"): PhoneResult {
  if (typeof raw !== "string" || raw.trim() === "") return { ok: false, code: "phone_empty" };
  if (!isKnownRegion(region)) return { ok: false, code: "phone_invalid" };
  const country = region;
  let text = raw.normalize("NFKC").trim();
  let parsed = parse(text, country);
  if (parsed === "country_unassigned") return { ok: false, code: "phone_invalid" };
  if (parsed === undefined) {
    // "650 x 253 - 1234": an "x" between digit groups that is not followed by an extension
    // alone is a separator (libphonenumber's Java reference reads it so; the JS port refuses).
    const m = /^([\d\s().+/-]*\d)\s*x\s*(\d[\d\s().-]*)$/i.exec(text);
    if (m?.[1] && m[2] && /\d[\s().-]+\d/.test(m[2])) {
      const again = parse(`${m[1]} ${m[2]}`, country);
      if (again !== "country_unassigned") parsed = again;
    }
  }
  if (parsed && isUnchecked.has(parsed.countryCallingCode) && TRUNK_ZERO.test(text)) {
    text = text.replace(TRUNK_ZERO, "$1 ");
    const again = parse(text, country);
    if (again !== "country_unassigned") parsed = again;
  }
  const phone = parsed;
  if (phone && isUnchecked.has(phone.countryCallingCode)) return plausible(phone);
  if (phone?.isValid()) return phone.ext ? { ok: true, e164: phone.number, ext: phone.ext } : { ok: true, e164: phone.number };
  if (!/\d/.test(text) || DATE_OR_TIME.test(text) || phone === undefined) return { ok: false, code: "phone_not_a_number" };
  const digits = phone.nationalNumber.length;
  const nanp = getCountryCallingCode(country, metadata) === "1" && !text.startsWith("+");
  if (nanp && digits === 7 && !phone.ext) return { ok: false, code: "phone_no_area_code" };
  if (digits < (nanp ? 10 : 7)) return { ok: false, code: "phone_too_short" };
  return { ok: false, code: "phone_invalid" };
}

/** An unvalidated number: kept when its length fits E.164 (and the canonical `E164` pattern). */
function plausible(phone: PhoneNumber): PhoneResult {
  const total = phone.countryCallingCode.length + phone.nationalNumber.length;
  if (phone.nationalNumber.length < 4 || total < 7) return { ok: false, code: "phone_too_short" };
  if (total > 15) return { ok: false, code: "phone_invalid" };
  return { ok: true, e164: phone.number, ...(phone.ext ? { ext: phone.ext } : {}), checked: false };
}

/** The parsed number; `undefined` when it is not one; "country_unassigned" for a calling code no country has. */
function parse(text: string, country: CountryCode): PhoneNumber | "country_unassigned" | undefined {
  try {
    return parsePhoneNumberWithError(text, { defaultCountry: country, extract: false }, metadata);
  } catch (e) {
    if (e instanceof ParseError && e.message === "INVALID_COUNTRY") return "country_unassigned";
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}
