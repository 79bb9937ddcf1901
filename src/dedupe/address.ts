import { jaroWinkler } from "./jaro-winkler";

// USPS Publication 28 forms of the words that vary most in practice (directionals, common
// street suffixes, unit designators), so "123 North Main Street" and "123 N Main St" agree.
const ABBREVIATIONS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
  street: "st",
  str: "st",
  avenue: "ave",
  av: "ave",
  road: "rd",
  drive: "dr",
  lane: "ln",
  court: "ct",
  place: "pl",
  boulevard: "blvd",
  circle: "cir",
  crescent: "cres",
  terrace: "ter",
  parkway: "pkwy",
  highway: "hwy",
  square: "sq",
  trail: "trl",
  close: "cl",
  grove: "grv",
  apartment: "apt",
  suite: "ste",
  unit: "unit",
  floor: "fl",
  building: "bldg",
  mount: "mt",
  saint: "st",
  fort: "ft",
};
const UNIT_WORDS = new Set(["apt", "ste", "unit", "fl", "bldg", "rm"]);

/** A street line reduced to what identifies it: house number and the street words, abbreviated. */
export interface StreetKey {
  number: string;
  /** Street words without spaces, e.g. "nmainst"; spaces are dropped so "hardma n" still meets "hardman". */
  name: string;
}

/** Parse a free-text street line ("123 North Main Street, Apt 4") into number and street words. */
export function streetKey(street: string): StreetKey | null {
  const tokens = street
    .toLowerCase()
    .replace(/#/g, " apt ")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let number = "";
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i] ?? "";
    const t = ABBREVIATIONS[raw] ?? raw;
    if (UNIT_WORDS.has(t)) {
      i++; // the unit's own number or letter says nothing about the street
      continue;
    }
    if (number === "" && /^\d+[a-z]?$/.test(t)) number = t;
    else words.push(t);
  }
  const name = words.join("");
  if (number === "" && name === "") return null;
  return { number, name };
}

/** How alike two street lines are: 1 identical, else Jaro-Winkler of the street words. */
export function streetSimilarity(a: StreetKey, b: StreetKey): number {
  if (a.name === "" || b.name === "") return 0;
  if (a.name === b.name) return 1;
  return jaroWinkler(a.name, b.name);
}
