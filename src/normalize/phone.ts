import { getCountryCallingCode, type CountryCode, type MetadataJson, ParseError, type PhoneNumber, parsePhoneNumberWithError } from "libphonenumber-js/core";
import metadataJson from "./phone-metadata.json";

/** libphonenumber's metadata for the calling codes the hub validates (scripts/lib/phone-metadata.ts). */
const metadata = metadataJson as unknown as MetadataJson;

const isKnownRegion = (region: string): region is CountryCode => Object.hasOwn(metadataJson.countries, region);

export type PhoneResult =
  | { ok: true; e164: string; ext?: string }
  | { ok: false; code: "phone_empty" | "phone_invalid" | "phone_too_short" | "phone_no_area_code" | "phone_not_a_number" | "phone_country_unsupported" };

/** A date ("03/27/2011", "2011-03-27") or a clock time: digits that are never a phone number. */
const DATE_OR_TIME = /^\s*\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}\s*$|\d{1,2}:\d{2}/;

/**
 * Normalizes a phone number to E.164 with libphonenumber-js ("min" metadata: its US and CA
 * rules are the same as "max"; other countries are checked by their general number pattern).
 * Only the calling codes in scripts/lib/phone-metadata.ts are known (+1 and a few countries
 * US brokerages' clients call from): a number written with any other is refused as
 * `phone_country_unsupported`, never guessed.
 *
 * Only numbers libphonenumber calls valid are accepted, so dates, times and short strings are
 * rejected rather than guessed; a 7-digit local number is refused (`phone_no_area_code`), never
 * given an invented area code. An extension ("x 123", "ext. 503", "#12") is kept apart.
 */
export function normalizePhone(raw: string, region = "US"): PhoneResult {
  if (typeof raw !== "string" || raw.trim() === "") return { ok: false, code: "phone_empty" };
  if (!isKnownRegion(region)) return { ok: false, code: "phone_invalid" };
  const country = region;
  const text = raw.normalize("NFKC").trim();
  let parsed = parse(text, country);
  if (parsed === "country_unsupported") return { ok: false, code: "phone_country_unsupported" };
  if (parsed === undefined) {
    // "650 x 253 - 1234": an "x" between digit groups that is not followed by an extension
    // alone is a separator (libphonenumber's Java reference reads it so; the JS port refuses).
    const m = /^([\d\s().+/-]*\d)\s*x\s*(\d[\d\s().-]*)$/i.exec(text);
    if (m?.[1] && m[2] && /\d[\s().-]+\d/.test(m[2])) {
      const again = parse(`${m[1]} ${m[2]}`, country);
      if (again !== "country_unsupported") parsed = again;
    }
  }
  const phone = parsed;
  if (phone?.isValid()) return phone.ext ? { ok: true, e164: phone.number, ext: phone.ext } : { ok: true, e164: phone.number };
  if (!/\d/.test(text) || DATE_OR_TIME.test(text) || phone === undefined) return { ok: false, code: "phone_not_a_number" };
  const digits = phone.nationalNumber.length;
  const nanp = getCountryCallingCode(country, metadata) === "1" && !text.startsWith("+");
  if (nanp && digits === 7 && !phone.ext) return { ok: false, code: "phone_no_area_code" };
  if (digits < (nanp ? 10 : 7)) return { ok: false, code: "phone_too_short" };
  return { ok: false, code: "phone_invalid" };
}

/** The parsed number; `undefined` when it is not one; "country_unsupported" for a calling code the metadata lacks. */
function parse(text: string, country: CountryCode): PhoneNumber | "country_unsupported" | undefined {
  try {
    return parsePhoneNumberWithError(text, { defaultCountry: country, extract: false }, metadata);
  } catch (e) {
    if (e instanceof ParseError && e.message === "INVALID_COUNTRY") return "country_unsupported";
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}
