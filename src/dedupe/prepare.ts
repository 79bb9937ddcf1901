import { streetKey, type StreetKey } from "./address";
import type { DedupePerson } from "./records";

/** A person normalized once, so comparing two of them is only string work. */
export interface Prepared {
  id: string;
  /** First given name, a–z only ("" when missing). */
  first: string;
  /** Surname with spaces and punctuation dropped ("van der berg" → "vanderberg"). */
  last: string;
  /** A generational suffix written with the surname ("jr", "sr", "ii"…), else "". */
  generation: string;
  emails: string[];
  /** Digits, last 10 (7 when the number has no area code; none is ever invented). */
  phones: string[];
  /** `YYYYMMDD` or "". */
  dob: string;
  street: StreetKey | null;
  zip: string;
  /** City letters without spaces. */
  city: string;
}

const HONORIFICS = new Set(["mr", "mrs", "ms", "miss", "dr"]);
/** Not part of the name compared, but not ignored: a father and son share the rest of it. */
const GENERATIONS = new Set(["jr", "sr", "ii", "iii", "iv"]);
const isName = (t: string): boolean => !GENERATIONS.has(t);

function nameTokens(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents, split off by NFKD
    .toLowerCase()
    .replace(/['’.]/g, "")
    .split(/[^a-z]+/)
    .filter((t) => t !== "" && !HONORIFICS.has(t));
}

/** Lower-case, trimmed, with a "+tag" dropped (it reaches the same mailbox). */
export function normalizeEmail(value: string): string {
  const email = value.trim().toLowerCase();
  const at = email.lastIndexOf("@");
  if (at <= 0) return email;
  const local = email.slice(0, at);
  const plus = local.indexOf("+");
  return (plus > 0 ? local.slice(0, plus) : local) + email.slice(at);
}

/** Digits only, the last 10; fewer than 7 digits is not a phone number. */
export function normalizePhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  if (digits.length < 7) return "";
  return digits.length > 10 ? digits.slice(-10) : digits;
}

/** `YYYY-MM-DD`, `YYYYMMDD` or `YYYY/MM/DD` → `YYYYMMDD`; anything else → "". */
export function normalizeDob(value: string | undefined): string {
  if (value === undefined) return "";
  const digits = value.replace(/\D/g, "");
  return digits.length === 8 ? digits : "";
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ""))].sort();
}

/** Given name (first token), surname (all tokens joined) and generation, normalized as `prepare` does. */
export function preparedNames(person: DedupePerson): { first: string; last: string; generation: string } {
  const last = nameTokens(person.lastName);
  return {
    first: nameTokens(person.firstName).filter(isName)[0] ?? "",
    last: last.filter(isName).join(""),
    generation: last.find((t) => !isName(t)) ?? "",
  };
}

/** Normalize one person for blocking and scoring. */
export function prepare(person: DedupePerson): Prepared {
  const address = person.address;
  return {
    id: person.id,
    ...preparedNames(person),
    emails: unique((person.emails ?? []).map(normalizeEmail).filter((e) => e.includes("@"))),
    phones: unique((person.phones ?? []).map(normalizePhone)),
    dob: normalizeDob(person.birthDate),
    street: address?.street === undefined ? null : streetKey(address.street),
    zip: (address?.zip ?? "").replace(/\D/g, "").slice(0, 5),
    city: (address?.city ?? "").toLowerCase().replace(/[^a-z]/g, ""),
  };
}
