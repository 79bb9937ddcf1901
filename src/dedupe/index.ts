/**
 * Nightly fuzzy dedupe of the golden record: proposes pairs of people who are probably the same
 * (typos, nicknames, swapped names, a changed phone, one address written two ways). Pure: no
 * bindings; the cron job feeds it people and stores the proposals.
 */
import { groupBlocks, type Blocks } from "./blocking";
import { scoreBlocks } from "./chunk";
import { prepare } from "./prepare";
import { nameRarity } from "./rarity";
import type { DedupePerson, DuplicatePair } from "./records";
import { DedupeOptionsSchema, type DedupeOptions } from "./schema";

export type { Blocks } from "./blocking";
export type { ChunkResult } from "./chunk";
export { scoreBlockChunk } from "./chunk";
export { clusterPairs } from "./cluster";
export { goldenPerson } from "./golden-person";
export { jaroWinkler } from "./jaro-winkler";
export { soundex } from "./soundex";
export * from "./schema";
export type * from "./records";

/**
 * Group people into candidate blocks (key → sorted ids). Deterministic: the same people give the
 * same blocks in any order, so a chunked run can rebuild them or store them next to its cursor.
 */
export function buildBlocks(people: DedupePerson[], options: DedupeOptions = {}): Blocks {
  const { maxBlockSize } = DedupeOptionsSchema.parse(options);
  return groupBlocks(people.map(prepare), maxBlockSize).blocks;
}

/**
 * All pairs of people scoring at least `options.threshold`, best first (ties by id). Work is
 * near-linear: only people sharing a blocking key are compared; `options.onStats` reports how
 * many comparisons that took.
 */
export function findDuplicatePairs(people: DedupePerson[], options: DedupeOptions = {}): DuplicatePair[] {
  const resolved = DedupeOptionsSchema.parse(options);
  const prepared = people.map(prepare);
  const { blocks, droppedBlocks } = groupBlocks(prepared, resolved.maxBlockSize);
  const byId = new Map(prepared.map((p) => [p.id, p]));
  const run = scoreBlocks((id) => byId.get(id), nameRarity(prepared), blocks, null, Number.POSITIVE_INFINITY, resolved.threshold);
  resolved.onStats?.({
    people: people.length,
    blocks: Object.keys(blocks).length,
    droppedBlocks,
    visited: run.visited,
    comparisons: run.comparisons,
    pairs: run.pairs.length,
  });
  return run.pairs.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}
