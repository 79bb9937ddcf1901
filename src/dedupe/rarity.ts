import type { Prepared } from "./prepare";
import { WEIGHTS } from "./weights";

/** Extra bits an exact match on this name is worth, given how rare it is in the run. */
export type Rarity = (name: string) => number;

/**
 * Term-frequency adjustment (as in Fellegi–Sunter with value-specific u-probabilities): agreeing
 * on "Hannagan" says more than agreeing on "Smith". Counted over the whole run, given and surnames
 * together (so swapped names count alike); the flat exact-match weights stand for a name held by
 * `rareNameShare` of people, and rarer names earn up to `rareNameMax` bits more.
 */
export function nameRarity(people: ReadonlyArray<Pick<Prepared, "first" | "last">>): Rarity {
  const counts = new Map<string, number>();
  for (const p of people) {
    if (p.first !== "") counts.set(p.first, (counts.get(p.first) ?? 0) + 1);
    if (p.last !== "" && p.last !== p.first) counts.set(p.last, (counts.get(p.last) ?? 0) + 1);
  }
  const expected = WEIGHTS.rareNameShare * people.length;
  return (name) => {
    const bonus = Math.log2(expected / (counts.get(name) ?? 1));
    return bonus <= 0 ? 0 : Math.min(WEIGHTS.rareNameMax, bonus);
  };
}
