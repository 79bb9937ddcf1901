import { parseStreetLine } from "./address-parse";
import { cityName, displayAbbr, primaryNumber, unitId, zipParts } from "./address-parts";
import { tokenize } from "./address-tokens";
import { unitAt } from "./address-unit";
import type { PostalAddress } from "./postal-address";
import { fail, ok, type Norm } from "./result";
import { stateCode } from "./usps-tables";

/** An address that arrives already split into fields (dotloop, SkySlope, CRM forms). */
export interface AddressParts {
  /** Street line, or just the street name when `number` is given ("Southington Rd"). */
  street?: string;
  /** Second line: unit ("Apt 4", "#12", "Suite 200"). */
  line2?: string;
  /** Unit number alone ("4B"); used when line2 is absent. */
  unit?: string;
  number?: string;
  city?: string;
  state?: string;
  /** "44120", "44120-1234", or a number that lost its leading zero (2108 → "02108"). */
  zip?: string | number;
  /** Anything but the US is refused: the parts follow USPS rules. */
  country?: string;
}

const US = /^(?:US|USA|U\.S\.A?\.?|UNITED STATES(?: OF AMERICA)?)$/i;

/**
 * Normalizes an address whose parts arrive in separate fields into USPS Publication 28 form.
 * The street line is parsed like `parseAddress` (so "123 north main street" splits into number,
 * predirectional, street and suffix); city, state and ZIP are taken from their own fields.
 */
export function normalizeAddress(parts: AddressParts): Norm<PostalAddress> {
  const country = parts.country?.trim();
  if (country && !US.test(country)) return fail("address_not_us", `country ${country} is not the US`);
  const out: PostalAddress = {};
  const number = parts.number?.trim();
  const street = [number, parts.street?.trim()].filter(Boolean).join(" ");
  if (street !== "") {
    // Parsed as a delivery line only: a trailing word must not be mistaken for a city.
    const line = parseStreetLine(street);
    if (line.ok) {
      const { city: _city, state: _state, zip: _zip, zip4: _zip4, ...rest } = line.value;
      Object.assign(out, rest);
    } else if (line.code === "address_intersection") {
      return line;
    }
    if (number && out.number === undefined) {
      const n = primaryNumber(number);
      if (n !== undefined) out.number = n;
    }
  }
  const unit = parts.line2?.trim() || (parts.unit?.trim() ? `# ${parts.unit.trim().replace(/^#\s*/, "")}` : "");
  if (unit !== "") {
    const t = tokenize(unit);
    const u = unitAt(t, 0);
    if (u) {
      out.unitType = displayAbbr(u.type);
      if (u.id !== undefined) out.unitId = u.id;
    } else {
      out.unitType = "#";
      const id = unitId(t.map((x) => x.key).join(" "), "#");
      if (id !== undefined) out.unitId = id;
    }
  }
  const city = parts.city?.trim() ? cityName(tokenize(parts.city).map((x) => x.text)) : undefined;
  if (city !== undefined) out.city = city;
  if (parts.state?.trim()) {
    const code = stateCode(parts.state);
    if (code === undefined) return fail("address_state_invalid", `unknown US state: ${parts.state}`);
    out.state = code;
  }
  if (parts.zip !== undefined && String(parts.zip).trim() !== "") {
    const raw = String(parts.zip).trim();
    // A ZIP field holding 3–4 digits lost its leading zeros in a spreadsheet (02108 → 2108).
    const z = zipParts(/^\d{3,4}$/.test(raw) ? raw.padStart(5, "0") : raw);
    if (z === undefined) return fail("address_zip_invalid", `not a ZIP code: ${raw}`);
    Object.assign(out, z);
  }
  if (Object.keys(out).length === 0) return fail("address_empty", "no address parts given");
  return ok(out);
}
