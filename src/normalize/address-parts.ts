import { directionalAbbr, key } from "./usps-tables";

/** Words normalized one way everywhere (parser, split fields, and the eval's labelled truth). */

const ORDINAL = /^(\d+)(st|nd|rd|th)$/i;
const ORDINAL_WORDS: Record<string, string> = {
  FIRST: "1st",
  SECOND: "2nd",
  THIRD: "3rd",
  FOURTH: "4th",
  FIFTH: "5th",
  SIXTH: "6th",
  SEVENTH: "7th",
  EIGHTH: "8th",
  NINTH: "9th",
  TENTH: "10th",
};
/** City words USPS spells out ("St Louis" → "Saint Louis"), only as the first word. */
const CITY_PREFIX: Record<string, string> = { ST: "Saint", STE: "Sainte", MT: "Mount", FT: "Fort" };

function isMixedCase(word: string): boolean {
  return /[a-z]/.test(word) && /[A-Z]/.test(word.slice(1));
}

/** One address word in display case: "MAIN" → "Main", "1ST" → "1st", "d304" → "D304"; mixed case kept. */
export function displayWord(word: string): string {
  const w = word.replace(/\.(?!\d)/g, "");
  if (isMixedCase(w)) return w;
  const ord = ORDINAL.exec(w);
  if (ord) return `${ord[1]}${(ord[2] ?? "").toLowerCase()}`;
  if (/\d/.test(w)) return w.toUpperCase();
  return w.toLowerCase().replace(/(^|[-'/\s])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Joins words in display case, dropping empty ones and stray punctuation. */
export function displayWords(words: readonly string[]): string | undefined {
  const out = words
    .map((w) => w.replace(/^[,;:]+|[,;:]+$/g, ""))
    .filter((w) => w.replace(/\./g, "") !== "")
    .map(displayWord);
  return out.length > 0 ? out.join(" ") : undefined;
}

/** Street name words: display case, nothing expanded or abbreviated (USPS keeps names as named). */
export function streetName(words: readonly string[]): string | undefined {
  return displayWords(words);
}

/**
 * City words: display case; a leading directional or St/Mt/Ft is spelled out as USPS does
 * ("N Sebastopol" → "North Sebastopol", "St. Louis" → "Saint Louis").
 */
export function cityName(words: readonly string[]): string | undefined {
  const ws = words.filter((w) => w.replace(/[.,;:]/g, "") !== "");
  const first = ws[0];
  if (first !== undefined && ws.length > 1) {
    const k = key(first);
    const dir = directionalAbbr(k);
    const spelled = CITY_PREFIX[k] ?? (dir !== undefined && k === dir ? DIRECTION_WORDS[dir] : undefined);
    if (spelled !== undefined) return displayWords([spelled, ...ws.slice(1)]);
  }
  return displayWords(ws);
}

const DIRECTION_WORDS: Record<string, string> = {
  N: "North",
  S: "South",
  E: "East",
  W: "West",
  NE: "Northeast",
  NW: "Northwest",
  SE: "Southeast",
  SW: "Southwest",
};

/** C1/C2 abbreviation in display case: "AVE" → "Ave", "#" stays "#". */
export function displayAbbr(abbr: string): string {
  return abbr === "#" ? "#" : abbr.charAt(0) + abbr.slice(1).toLowerCase();
}

/**
 * Secondary unit number: upper case, no punctuation but hyphens; for floors an ordinal is
 * reduced to its number ("25th", "Second" → "25", "2") because USPS writes "FL 25".
 */
export function unitId(raw: string, abbr: string | undefined): string | undefined {
  let id = raw
    .toUpperCase()
    .replace(/^(?:NO|NUM|NUMBER)\.?\s*(?=\d)/, "") // "No. 102" is "# 102"
    .replace(/^[#.,\s]+|[.,\s]+$/g, "")
    .replace(/\s+/g, " ");
  if (id === "") return undefined;
  id = id.replace(/^(\d+) ([A-Z])$/, "$1$2"); // "13 C" → 13C, as USPS writes it
  if (abbr === "FL") {
    const word = ORDINAL_WORDS[id];
    if (word !== undefined) id = word.toUpperCase();
    const ord = ORDINAL.exec(id);
    if (ord?.[1] !== undefined) id = ord[1];
  }
  return id;
}

/** Primary number: upper case, periods dropped, "3813 1/2" kept with its fraction. */
export function primaryNumber(raw: string): string | undefined {
  const n = raw
    .replace(/\.(?!\d)/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toUpperCase();
  return n === "" ? undefined : n;
}

/** ZIP or ZIP+4 ("60606-6306", "606066306", "60606 6306") → parts; undefined if not a ZIP. */
export function zipParts(raw: string): { zip: string; zip4?: string } | undefined {
  const m = /^(\d{5})(?:[-\s]?(\d{4}))?$/.exec(raw.trim());
  if (!m?.[1]) return undefined;
  return m[2] ? { zip: m[1], zip4: m[2] } : { zip: m[1] };
}
