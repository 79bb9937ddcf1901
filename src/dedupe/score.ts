import { compareAddress, compareDob, compareEmails, compareNames, comparePhones } from "./compare";
import type { Prepared } from "./prepare";
import type { Rarity } from "./rarity";
import { WEIGHTS } from "./weights";

/** Match probability of two prepared people in [0,1] (4 decimals) and the evidence behind it. */
export function scorePair(a: Prepared, b: Prepared, rarity: Rarity): { score: number; reasons: string[] } {
  const contact = [compareEmails(a.emails, b.emails), comparePhones(a.phones, b.phones), compareAddress(a, b)];
  const person = [compareNames(a, b, rarity), compareDob(a.dob, b.dob)];
  // Email, phone and address are shared by a household: agreeing on all three says "same
  // household" about as strongly as agreeing on one, so only the strongest counts in full.
  const agreeing = contact
    .map((c) => c.bits)
    .filter((b) => b > 0)
    .sort((x, y) => y - x);
  let bits = WEIGHTS.prior + agreeing.reduce((sum, b, i) => sum + (i === 0 ? b : b * WEIGHTS.householdOverlap), 0);
  for (const c of contact) if (c.bits < 0) bits += c.bits;
  const reasons: string[] = [];
  for (const part of [...contact, ...person]) reasons.push(...part.reasons);
  for (const part of person) bits += part.bits;
  const score = 1 / (1 + 2 ** -bits);
  return { score: Math.round(score * 10_000) / 10_000, reasons };
}
