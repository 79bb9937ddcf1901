/**
 * The phone metadata the Worker ships: libphonenumber-js's own "min" metadata cut to the calling
 * codes a US brokerage's clients call from, without the formatting rules the hub never uses (it
 * stores E.164 and never formats). Parsing and validation for the kept codes are the library's,
 * unchanged. A number with any other assigned calling code is kept unchecked (E.164, `checked:
 * false`), so the list of assigned codes ships beside it (`assignedCallingCodes`, under 1 KiB raw).
 * The whole file costs about 20 KiB gzip of the Worker, this cut about 1.5.
 */

/**
 * +1 is the North American Numbering Plan (the US, Canada, Puerto Rico, the US territories and
 * the Caribbean); then Mexico, China, India and Colombia, where most foreign buyers of US homes
 * come from (NAR's international transactions surveys), and the UK and Germany. Add a code here
 * and run `npm run phone:metadata` to validate its numbers (each costs 0.1 to 1 KiB gzip).
 */
export const PHONE_CALLING_CODES = ["1", "52", "86", "91", "57", "44", "49"] as const;

/** libphonenumber-js's metadata JSON, as far as this file reads it. */
export interface PhoneMetadataJson {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown[]>;
  nonGeographic?: Record<string, unknown[]>;
}

// Positions in a country's array (metadata version 4) that only formatting reads: the number
// formats, the national prefix formatting rule and "national prefix optional when formatting".
const FORMATTING = [4, 6, 9];

function withoutFormatting(plan: readonly unknown[]): unknown[] {
  const out = plan.map((v, i) => (FORMATTING.includes(i) ? 0 : v));
  while (out.length > 0 && !out[out.length - 1]) out.pop();
  return out;
}

/** The metadata the Worker ships, derived from the library's `metadata.min.json`. */
export function trimPhoneMetadata(source: PhoneMetadataJson, codes: readonly string[] = PHONE_CALLING_CODES): PhoneMetadataJson {
  if (source.version !== 4)
    throw new Error(`libphonenumber-js metadata version ${source.version}: the formatting positions above are for version 4`);
  const callingCodes: Record<string, string[]> = {};
  const countries: Record<string, unknown[]> = {};
  for (const code of codes) {
    const regions = source.country_calling_codes[code];
    if (!regions) throw new Error(`no calling code +${code} in libphonenumber-js metadata`);
    callingCodes[code] = regions;
    for (const region of regions) {
      const plan = source.countries[region];
      if (!plan) throw new Error(`no metadata for ${region} (+${code})`);
      countries[region] = withoutFormatting(plan);
    }
  }
  return { version: source.version, country_calling_codes: callingCodes, countries, nonGeographic: {} };
}

/**
 * Every calling code libphonenumber knows a country for (`country_calling_codes`' keys, which are
 * prefix-free), so the Worker can tell a real code it does not validate from a made-up one.
 */
export function assignedCallingCodes(source: PhoneMetadataJson): string[] {
  return Object.keys(source.country_calling_codes).sort((a, b) => a.length - b.length || a.localeCompare(b));
}
