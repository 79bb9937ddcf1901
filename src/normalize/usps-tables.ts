import { DIRECTIONALS, STATES, SUFFIXES, UNITS } from "./usps-data";

/** Splits "STD a b|STD2 c" into a variant → standard map (the standard maps to itself). */
function groups(packed: string, sep: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of packed.split("|")) {
    const [std = "", ...variants] = group.split(sep);
    const key = std.replace("*", "");
    for (const v of [key, ...variants]) if (!map.has(v)) map.set(v, key);
  }
  return map;
}

const SUFFIX = groups(SUFFIXES, " ");
/** Spelled-out C1 primary names (second word of each group): "AVENUE", "WAY". */
const PRIMARY = new Set(SUFFIXES.split("|").map((g) => g.split(" ")[1] ?? ""));
const UNIT = groups(UNITS, " ");
const RANGED_UNITS = new Set(
  UNITS.split("|")
    .filter((g) => g.split(" ")[0]?.endsWith("*"))
    .map((g) => g.split(" ")[0]?.replace("*", "")),
);
const DIRECTIONAL = groups(DIRECTIONALS, " ");
const STATE = groups(STATES, ",");
/** C1 standard abbreviations that are also ordinary words (WAY, RUN, MALL): weak evidence of a suffix. */
const WORD_SUFFIXES = new Set(
  "ARC FALL ISLE LAND LOOP MALL MEWS OVAL PARK PASS PATH PIKE RAMP ROW RUE RUN SPUR WALK WALL WAY WAYS".split(" "),
);
/** Spelled-out suffixes common enough to be strong evidence of the end of a street name. */
const COMMON_FULL = new Set(
  "STREET AVENUE ROAD DRIVE BOULEVARD LANE COURT PLACE CIRCLE HIGHWAY PARKWAY TERRACE TRAIL EXPRESSWAY FREEWAY TURNPIKE".split(" "),
);

/** Upper-cases and drops periods (but keeps decimal points), the key form for every table. */
export function key(word: string): string {
  return word.toUpperCase().replace(/\.(?!\d)/g, "");
}

/** C1 standard suffix abbreviation ("Avenue" → "AVE"), or undefined. */
export function suffixAbbr(word: string): string | undefined {
  return SUFFIX.get(key(word));
}

/**
 * True when the word is strong evidence of a street suffix: an abbreviation that is not also an
 * ordinary word (ST, AVE, AV, RD), or a very common spelled-out suffix (Street, Avenue).
 */
export function isStrongSuffix(word: string): boolean {
  const k = key(word);
  return COMMON_FULL.has(k) || (SUFFIX.has(k) && !PRIMARY.has(k) && !WORD_SUFFIXES.has(k) && !ENGLISH.has(k));
}

/** C1 commonly-used forms that are ordinary English words (weak evidence). */
const ENGLISH = new Set(
  "HILL MILL LAKE GLEN COVE BEND CAMP CAPE CLUB DALE FORD FORK FORT LOCK NECK PINE PORT REST VIEW WELL GATE KEYS KEY MOUNT MANOR RIDGE GROVE BROOK".split(
    " ",
  ),
);

/** C2 unit designator abbreviation ("Suite" → "STE"), or undefined. */
export function unitAbbr(word: string): string | undefined {
  return UNIT.get(key(word));
}

/** True for designators that need a secondary number (APT 4); false for LOBBY, REAR… */
export function unitNeedsId(abbr: string): boolean {
  return RANGED_UNITS.has(abbr);
}

/** Directional abbreviation ("North" → "N", "S.E." → "SE"), or undefined. */
export function directionalAbbr(word: string): string | undefined {
  return DIRECTIONAL.get(key(word));
}

/** Two-letter USPS state code for a code, name or historical abbreviation ("Calif." → "CA"). */
export function stateCode(phrase: string): string | undefined {
  return STATE.get(key(phrase).replace(/\s+/g, " ").trim());
}
