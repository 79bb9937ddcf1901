import { canonicalGivenName } from "./nicknames";
import type { Prepared } from "./prepare";
import { soundex } from "./soundex";

/** Block key → ids of the people in that block (sorted); only blocks of 2+ people are kept. */
export type Blocks = Record<string, string[]>;

/** Soundex of a given name with nicknames folded ("bob" → "r163", as "robert"). */
function givenCode(name: string): string {
  return soundex(canonicalGivenName(name));
}

/**
 * The blocking keys of one person, as `kind:value`. A pair is compared only if the two share a
 * key, so each key is chosen to survive one kind of error the others do not:
 * - `e:` normalized email, `l:` its local part (5+ chars), `p:` last 7 phone digits — survive
 *   any change of name or address;
 * - `n:` soundex(surname) + `givenCode`, and the same with the names
 *   swapped, in one namespace, so "Hall, Isla" meets "Isla Hall";
 * - `f:` given name (nickname folded) + zip — survives a new surname;
 * - `d:` birth date with day/month sorted (so a transposition still meets) — survives both
 *   names changing; an oversized date block is split by surname initial;
 * - `a:` zip + house number — survives both names misspelt;
 * - `c:` city + soundex(surname), only without a zip (the city is then the locality).
 */
export function blockingKeys(p: Prepared): string[] {
  const keys: string[] = [];
  for (const e of p.emails) {
    keys.push(`e:${e}`);
    const local = e.slice(0, e.indexOf("@"));
    if (local.length >= 5) keys.push(`l:${local}`);
  }
  for (const ph of p.phones) keys.push(`p:${ph.slice(-7)}`);
  if (p.last !== "" && p.first !== "") {
    keys.push(`n:${soundex(p.last)}${givenCode(p.first)}`);
    keys.push(`n:${soundex(p.first)}${givenCode(p.last)}`);
  }
  if (p.first !== "" && p.zip !== "") keys.push(`f:${canonicalGivenName(p.first)}|${p.zip}`);
  if (p.dob !== "") keys.push(`d:${p.dob.slice(0, 4)}${[p.dob.slice(4, 6), p.dob.slice(6, 8)].sort().join("")}`);
  if (p.zip !== "" && p.street !== null && p.street.number !== "") keys.push(`a:${p.zip}|${p.street.number}`);
  if (p.zip === "" && p.city !== "" && p.last !== "") keys.push(`c:${p.city}|${soundex(p.last)}`);
  return [...new Set(keys)];
}

/**
 * What splits an oversized block, per key kind: an attribute the key itself does not use, so a
 * shared office phone splits by surname and a common name splits by birth year.
 */
function refinement(kind: string, p: Prepared): string {
  switch (kind) {
    case "e":
    case "l":
    case "p":
    case "a":
      return soundex(p.last) || p.first;
    case "n":
      return p.dob.slice(0, 4) || p.zip;
    case "f":
    case "c":
    case "d":
      return p.last.slice(0, 1);
    default:
      return p.zip.slice(0, 3);
  }
}

/**
 * The blocks `p` sits in, sorted: each of its keys as is, or refined when that block was split.
 * Recomputed from the person, so a chunk needs no inverted index of all blocks.
 */
export function liveKeys(p: Prepared, blocks: Blocks): string[] {
  const out: string[] = [];
  for (const key of blockingKeys(p)) {
    if (Object.hasOwn(blocks, key)) {
      out.push(key);
      continue;
    }
    const refined = `${key}#${refinement(key.slice(0, key.indexOf(":")), p)}`;
    if (Object.hasOwn(blocks, refined)) out.push(refined);
  }
  return out.sort();
}

/** Blocks plus what had to be dropped to keep every block at most `maxBlockSize`. */
export interface BlockBuild {
  blocks: Blocks;
  droppedBlocks: number;
}

/**
 * Group people by blocking key. A block bigger than `maxBlockSize` is split once by a second
 * attribute (see `refinement`); a sub-block still too big is dropped (a placeholder email or a
 * call-centre phone says nothing about identity). So every person meets at most
 * keys × (maxBlockSize − 1) others and the work stays linear in the number of people.
 */
export function groupBlocks(people: Prepared[], maxBlockSize: number): BlockBuild {
  const byKey = new Map<string, Prepared[]>();
  for (const p of people) {
    for (const key of blockingKeys(p)) {
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [p]);
      else list.push(p);
    }
  }
  const kept = new Map<string, string[]>();
  let droppedBlocks = 0;
  const keep = (key: string, members: Prepared[]): void => {
    if (members.length < 2) return;
    if (members.length > maxBlockSize) droppedBlocks++;
    else kept.set(key, [...new Set(members.map((m) => m.id))].sort());
  };
  for (const [key, members] of byKey) {
    if (members.length <= maxBlockSize) {
      keep(key, members);
      continue;
    }
    const kind = key.slice(0, key.indexOf(":"));
    const sub = new Map<string, Prepared[]>();
    for (const m of members) {
      const subKey = `${key}#${refinement(kind, m)}`;
      const list = sub.get(subKey);
      if (list === undefined) sub.set(subKey, [m]);
      else list.push(m);
    }
    for (const [subKey, subMembers] of sub) keep(subKey, subMembers);
  }
  const blocks: Blocks = {};
  for (const key of [...kept.keys()].sort()) blocks[key] = kept.get(key) ?? [];
  return { blocks, droppedBlocks };
}
