import { streetSimilarity } from "./address";
import { jaroWinkler } from "./jaro-winkler";
import { isNickname } from "./nicknames";
import type { Prepared } from "./prepare";
import type { Rarity } from "./rarity";
import { JW_HIGH, JW_LOW, JW_MID, WEIGHTS as W } from "./weights";

/** Bits of evidence from one field and the reason to show a reviewer (none when neutral). */
export interface Evidence {
  bits: number;
  reasons: string[];
}

const NONE: Evidence = { bits: 0, reasons: [] };
const fmt = (x: number): string => x.toFixed(2);

/** Given names: exact, nickname (bob~robert), initial, or Jaro-Winkler. */
export function compareFirst(a: string, b: string, rarity: Rarity): Evidence {
  if (a === "" || b === "") return NONE;
  if (a === b) return { bits: W.firstExact + rarity(a), reasons: ["first_exact"] };
  if (isNickname(a, b)) return { bits: W.nickname, reasons: [`nickname:${a}~${b}`] };
  if (a.length === 1 || b.length === 1) {
    return a[0] === b[0] ? { bits: W.firstInitial, reasons: ["first_initial"] } : { bits: W.firstDiffers, reasons: ["first_differs"] };
  }
  const jw = jaroWinkler(a, b);
  if (jw >= JW_HIGH) return { bits: W.firstHigh, reasons: [`first_jw:${fmt(jw)}`] };
  if (jw >= JW_MID) return { bits: W.firstMid, reasons: [`first_jw:${fmt(jw)}`] };
  return jw >= JW_LOW ? { bits: W.firstWeak, reasons: [] } : { bits: W.firstDiffers, reasons: ["first_differs"] };
}

/** Surnames: exact or Jaro-Winkler. */
export function compareLast(a: string, b: string, rarity: Rarity): Evidence {
  if (a === "" || b === "") return NONE;
  if (a === b) return { bits: W.lastExact + rarity(a), reasons: ["last_exact"] };
  const jw = jaroWinkler(a, b);
  if (jw >= JW_HIGH) return { bits: W.lastHigh, reasons: [`last_jw:${fmt(jw)}`] };
  if (jw >= JW_MID) return { bits: W.lastMid, reasons: [`last_jw:${fmt(jw)}`] };
  return jw >= JW_LOW ? { bits: W.lastWeak, reasons: [] } : { bits: W.lastDiffers, reasons: ["last_differs"] };
}

/** Both names, straight or with first and last swapped, whichever agrees better. */
export function compareNames(a: Prepared, b: Prepared, rarity: Rarity): Evidence {
  // Jr. and Sr. of one name are two people; a suffix on one side only is how it was typed.
  if (a.generation && b.generation && a.generation !== b.generation) return { bits: W.generationDiffers, reasons: ["generation_differs"] };
  const f = compareFirst(a.first, b.first, rarity);
  const l = compareLast(a.last, b.last, rarity);
  const straight = f.bits + l.bits;
  if (a.first !== "" && a.last !== "" && b.first !== "" && b.last !== "" && straight < W.firstExact + W.lastExact) {
    const sf = compareLast(a.first, b.last, rarity);
    const sl = compareLast(a.last, b.first, rarity);
    if ((sf.bits > 0 || sl.bits > 0) && sf.bits + sl.bits > straight) {
      return { bits: sf.bits + sl.bits, reasons: ["name_swapped"] };
    }
  }
  return { bits: straight, reasons: [...f.reasons, ...l.reasons] };
}

function editedOnce(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (diff === -1) diff = i;
    // two differences are one edit only as an adjacent transposition
    else return i === diff + 1 && a[diff] === b[i] && a[i] === b[diff] && a.slice(i + 1) === b.slice(i + 1);
  }
  return true;
}

/** Days since 1970 of a `YYYYMMDD` (NaN when it is not a date). */
function dayNumber(d: string): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) / 86_400_000;
}

/** Birth dates (`YYYYMMDD`): exact, day and month transposed, one typed digit, or different. */
export function compareDob(a: string, b: string): Evidence {
  if (a === "" || b === "") return NONE;
  if (a === b) return { bits: W.dobExact, reasons: ["dob_exact"] };
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) {
    return { bits: W.dobTransposed, reasons: ["dob_transposed"] };
  }
  if (editedOnce(a, b)) return { bits: W.dobTypo, reasons: ["dob_typo"] };
  const days = Math.abs(dayNumber(a) - dayNumber(b));
  if (days <= 62) return { bits: W.dobNear, reasons: [`dob_near:${days}d`] };
  if (days <= 400) return { bits: W.dobSameYearish, reasons: [] };
  return { bits: W.dobDiffers, reasons: ["dob_differs"] };
}

/** Shared values of two sorted lists. */
function shares(a: string[], b: string[]): boolean {
  return a.some((x) => b.includes(x));
}

/** Emails: an exact pair if there is one, else the closest pair by Jaro-Winkler (catches typed or garbled ones). */
export function compareEmails(a: string[], b: string[]): Evidence {
  if (a.length === 0 || b.length === 0) return NONE;
  if (shares(a, b)) return { bits: W.emailExact, reasons: ["email_exact"] };
  let best = 0;
  for (const x of a) for (const y of b) best = Math.max(best, jaroWinkler(x, y));
  if (best >= JW_HIGH) return { bits: W.emailSimilar, reasons: [`email_jw:${fmt(best)}`] };
  return { bits: W.emailDiffers, reasons: [] };
}

/** Phones (digits, last 10): an exact pair if there is one; a 7-digit one matches the tail of a 10-digit one. */
export function comparePhones(a: string[], b: string[]): Evidence {
  if (a.length === 0 || b.length === 0) return NONE;
  for (const x of a) {
    for (const y of b) {
      if (x === y || (x.length !== y.length && x.slice(-7) === y.slice(-7))) {
        return { bits: W.phoneExact, reasons: ["phone_exact"] };
      }
    }
  }
  return { bits: W.phoneDiffers, reasons: [] };
}

function compareStreet(a: Prepared, b: Prepared): Evidence {
  if (a.street === null || b.street === null) return NONE;
  if (a.street.name === "" || b.street.name === "") return NONE;
  const sim = streetSimilarity(a.street, b.street);
  if (sim < JW_MID) return { bits: W.streetDiffers, reasons: [] };
  const na = a.street.number;
  const nb = b.street.number;
  // Same street, other house: a neighbour or a move, weak evidence against.
  if (na !== "" && nb !== "" && na !== nb) return { bits: W.numberDiffers, reasons: [] };
  if (sim === 1 && na !== "" && na === nb) return { bits: W.addressSame, reasons: ["address_same"] };
  return { bits: W.addressSimilar, reasons: [`address_jw:${fmt(sim)}`] };
}

/** Street line (number + street words), zip and city. */
export function compareAddress(a: Prepared, b: Prepared): Evidence {
  const street = compareStreet(a, b);
  let bits = street.bits;
  const reasons = [...street.reasons];
  if (a.zip !== "" && b.zip !== "") {
    bits += a.zip === b.zip ? W.zipExact : W.zipDiffers;
    if (a.zip === b.zip) reasons.push("zip_exact");
  }
  if (a.city !== "" && b.city !== "" && jaroWinkler(a.city, b.city) >= JW_HIGH) {
    bits += W.cityExact;
    reasons.push(a.city === b.city ? "city_exact" : "city_similar");
  }
  return { bits, reasons };
}
