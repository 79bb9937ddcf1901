/** Surname particles written lower case inside a name ("Ludwig van Beethoven"). */
export const PARTICLES = new Set([
  "van",
  "von",
  "de",
  "da",
  "del",
  "della",
  "di",
  "du",
  "la",
  "le",
  "dos",
  "das",
  "der",
  "den",
  "ten",
  "ter",
  "y",
  "bin",
  "al",
]);

const ROMAN = /^(?:ii|iii|iv|vi|vii|viii|ix)$/;
/** Names that start with "Mac" but are not Mac + a capitalized name. */
const NOT_MAC = new Set([
  "mace",
  "macey",
  "mack",
  "macy",
  "macon",
  "machado",
  "machin",
  "machen",
  "macias",
  "maciel",
  "macedo",
  "mackie",
  "mackey",
  "macklin",
  "mackin",
  "macken",
  "mackle",
  "macri",
  "macomber",
]);

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** One hyphen-free piece of a lower-cased word, cased by the Irish/Scottish/Roman rules. */
function casePiece(p: string, full: boolean): string {
  if (ROMAN.test(p)) return p.toUpperCase();
  const apos = /^([a-z])'(\p{L}{2,})$/u.exec(p);
  if (apos?.[1] && apos[2]) return `${apos[1].toUpperCase()}'${cap(apos[2])}`;
  const mc = /^mc(\p{L}{2,})$/u.exec(p);
  if (mc?.[1]) return `Mc${cap(mc[1])}`;
  const mac = /^mac(\p{L}{3,})$/u.exec(p);
  if (full && mac?.[1] && !NOT_MAC.has(p)) return `Mac${cap(mac[1])}`;
  return cap(p);
}

function caseWord(word: string, index: number): string {
  const lower = word.toLowerCase();
  const uniform = word === lower || word === word.toUpperCase();
  // "Mcdonald", "O'brien": Title case typed by a form; fix Mc/O' but keep particles as written.
  const titled = /^\p{Lu}[\p{Ll}'-]*$/u.test(word);
  if (!uniform && !titled) return word; // "DeShawn", "McDonald", "LaToya": already deliberate
  if (uniform && index > 0 && PARTICLES.has(lower)) return lower;
  return lower
    .split("-")
    .map((p) => casePiece(p, uniform))
    .join("-");
}

/**
 * Tidies a personal name: trims and collapses spaces (also around hyphens), and cases words
 * written all upper or all lower: "MCDONALD" → "McDonald", "o'brien" → "O'Brien",
 * "smith-jones" → "Smith-Jones", "LUDWIG VAN BEETHOVEN" → "Ludwig van Beethoven",
 * "JOHN SMITH III" → "John Smith III". Words already in mixed case ("DeShawn") are kept.
 */
export function normalizeName(raw: string): string {
  return caseName(raw, false);
}

/** normalizeName for a part that follows other name words (a particle may then lead: "van Dyke"). */
export function caseName(raw: string, inner: boolean): string {
  if (typeof raw !== "string") return "";
  const words = raw
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s*-\s*/g, "-")
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  return words.map((w, i) => caseWord(w, inner ? i + 1 : i)).join(" ");
}
