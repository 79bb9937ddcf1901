import { directionalAbbr, key, suffixAbbr, unitAbbr } from "./usps-tables";

/** One word of an address string; `comma` says a separator (comma, semicolon, line) follows it. */
export interface Token {
  text: string;
  key: string;
  comma: boolean;
}

/** Splits an address string into words, remembering where the writer put separators. */
export function tokenize(raw: string): Token[] {
  const cleaned = raw
    .normalize("NFKC")
    .replace(/&nbsp;/gi, " ")
    .replace(/[()"[\]{}]/g, " ")
    .replace(/(^|\s)'+|'+(\s|$)/g, "$1 $2")
    .replace(/[\r\n;]+/g, ",")
    .replace(/#/g, " # ")
    .replace(/,/g, " , ");
  const tokens: Token[] = [];
  for (const part of cleaned.split(/\s+/)) {
    if (part === "") continue;
    if (part === ",") {
      const last = tokens[tokens.length - 1];
      if (last) last.comma = true;
      continue;
    }
    const text = part.replace(/\.(?!\d)/g, "");
    if (text === "" || text === "-") continue;
    // "Suite100", "Apt4B": a designator glued to its number.
    const glued = /^(APT|APARTMENT|STE|SUITE|UNIT|RM|ROOM|BLDG|FLR|LOT|SPC|TRLR)(\d+[A-Z]?)$/i.exec(text);
    for (const piece of glued ? [glued[1] ?? "", glued[2] ?? ""] : [text]) tokens.push({ text: piece, key: key(piece), comma: false });
  }
  return mergeSplitDirectionals(tokens);
}

/** "S. W." and "N E" (two one-letter tokens) are one directional: SW, NE. */
function mergeSplitDirectionals(t: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < t.length; i++) {
    const a = t[i];
    const b = t[i + 1];
    if (a && b && i > 0 && !a.comma && /^[NS]$/.test(a.key) && /^[EW]$/.test(b.key)) {
      out.push({ text: a.key + b.key, key: a.key + b.key, comma: b.comma });
      i++;
    } else if (a) out.push(a);
  }
  return out;
}

/** Spelled-out house numbers ("One S. Dearborn St"): kept as written, like any primary number. */
export const NUMBER_WORDS = new Set(
  "ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE TWENTY THIRTY FORTY FIFTY SIXTY SEVENTY EIGHTY NINETY HUNDRED".split(" "),
);

/** A primary number: 123, 6257A, 9820-B, 103-105, N95W18855 (Wisconsin grid), A1075 (Puerto Rico). */
export function isPrimaryNumber(k: string): boolean {
  return /^\d+[A-Z]?$/.test(k) || /^\d+-[A-Z0-9]{1,5}$/.test(k) || /^[NSEW]\d+[NSEW]\d+$/.test(k) || /^[A-Z]\d{2,}$/.test(k);
}

/** "48S", "400E": a Utah-style grid number with its directional glued on. */
export function splitGrid(k: string): { num: string; dir: string } | undefined {
  const m = /^(\d+)([NSEW])$/.exec(k);
  return m?.[1] && m[2] ? { num: m[1], dir: m[2] } : undefined;
}

/** "1/2" after a house number ("3813 1/2"). */
export function isFraction(k: string): boolean {
  return /^\d+\/\d+$/.test(k);
}

/** Plausible secondary unit number: has a digit, or is one or two letters ("F", "C-D"). */
export function isUnitIdent(k: string): boolean {
  return /^[A-Z0-9]+(?:-[A-Z0-9]+)?$/.test(k) && (/\d/.test(k) || /^[A-Z]{1,2}(?:-[A-Z]{1,2})?$/.test(k));
}

/** Membership in the Pub 28 tables, by token key. */
export const isDirectional = (k: string): boolean => directionalAbbr(k) !== undefined;
export const isSuffix = (k: string): boolean => suffixAbbr(k) !== undefined;
export const isUnitType = (k: string): boolean => unitAbbr(k) !== undefined;

/** A number-like token a highway-style name ends with: "Route 31", "County Hwy 60E", "CR 2700". */
/** Suffixes that take a route number after them ("Highway 157", "County Road 43", "Route 31"). */
export const ROUTE_SUFFIXES = new Set(["HWY", "RTE", "RD", "FWY", "EXPY", "TPKE", "PIKE", "SPUR", "LOOP", "BYP", "PKWY"]);

export function isRouteNumber(k: string): boolean {
  return /^\d+[A-Z]?$/.test(k) || /^[A-Z]$/.test(k);
}
