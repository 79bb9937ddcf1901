import { caseName, PARTICLES } from "./name";

/** A full name split into the parts CRMs store. */
export interface NameParts {
  firstName?: string;
  middleName?: string;
  lastName?: string;
  suffix?: string;
}

const key = (w: string): string => w.toLowerCase().replace(/\./g, "");
const PREFIXES = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "fr", "sir", "hon", "madam", "mister"]);
const SUFFIXES: Readonly<Record<string, string>> = { jr: "Jr.", sr: "Sr.", ii: "II", iii: "III", iv: "IV", v: "V" };
/** Credentials are dropped: they are not part of the name a CRM stores. */
const CREDENTIALS = new Set(["md", "phd", "esq", "cpa", "dds", "rn", "jd", "mba", "dvm", "do"]);

/** Also surnames ("Linh Do", "Stephanie V"): a credential or suffix only after a comma. */
const SURNAMES = new Set(["do", "v"]);

const isSuffix = (w: string): boolean => Object.hasOwn(SUFFIXES, key(w));
const isCredential = (w: string): boolean => CREDENTIALS.has(key(w));
/** A credential or suffix ending a name with no comma before it. */
const isTrailer = (w: string): boolean => !SURNAMES.has(key(w)) && (isSuffix(w) || isCredential(w));

/**
 * Splits a full name: "Dr. John Q. Public Jr." → first John, middle Q., last Public, suffix
 * Jr.; "Public, John Q." (last-name-first) the same. Prefixes (Mr., Dr.) and credentials (MD,
 * Esq.) are dropped, nicknames in quotes or parentheses too; surname particles stay with the
 * last name ("Ludwig van Beethoven" → last "van Beethoven"). Parts are cased by normalizeName.
 */
export function splitFullName(raw: string): NameParts {
  if (typeof raw !== "string") return {};
  const cleaned = raw
    .replace(/\([^)]*\)|"[^"]*"|\u201c[^\u201d]*\u201d/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned === "") return {};
  let suffix: string | undefined;
  const take = (words: string[]): string[] => {
    // Strip suffixes and credentials from the end, remembering the generational suffix.
    while (words.length > 1 && isTrailer(words[words.length - 1] ?? "")) {
      const w = words.pop() ?? "";
      if (isSuffix(w)) suffix ??= SUFFIXES[key(w)];
    }
    return words;
  };
  const commaParts = cleaned
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  // "John Smith, Jr." / "John Smith, MD": what follows the comma is only a suffix.
  const trailing = commaParts.slice(1).every((p) => p.split(" ").every((w) => isSuffix(w) || isCredential(w)));
  for (const p of commaParts.slice(1)) for (const w of p.split(" ")) if (isSuffix(w)) suffix ??= SUFFIXES[key(w)];
  let given: string[];
  let family: string[] | undefined;
  if (commaParts.length >= 2 && !trailing) {
    family = take(words(commaParts[0] ?? ""));
    given = take(dropPrefixes(words(commaParts[1] ?? "")));
  } else {
    given = take(dropPrefixes(words(commaParts[0] ?? "")));
  }
  if (family === undefined && given.length > 1) {
    // The last word plus any particles before it ("de la Cruz") is the family name.
    let start = given.length - 1;
    while (start > 1 && PARTICLES.has((given[start - 1] ?? "").toLowerCase())) start--;
    family = given.slice(start);
    given = given.slice(0, start);
  }
  const out: NameParts = {};
  const set = (k: keyof NameParts, ws: readonly string[] | undefined, inner: boolean): void => {
    const v = ws && ws.length > 0 ? caseName(ws.join(" "), inner) : "";
    if (v !== "") out[k] = v;
  };
  set("firstName", given.slice(0, 1), false);
  set("middleName", given.slice(1), true);
  set("lastName", family, given.length > 0);
  if (suffix) out.suffix = suffix;
  return out;
}

function words(s: string): string[] {
  return s.split(" ").filter((w) => w !== "");
}

function dropPrefixes(ws: string[]): string[] {
  let i = 0;
  while (i < ws.length - 1 && PREFIXES.has(key(ws[i] ?? ""))) i++;
  return ws.slice(i);
}
