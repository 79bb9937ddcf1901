import type { Blocks } from "./blocking";
import { prepare, type Prepared } from "./prepare";
import { nameRarity } from "./rarity";
import { DedupeOptionsSchema, type BlockCursor, type DedupeOptions, type DedupePerson, type DuplicatePair } from "./schema";
import { scorePair } from "./score";

/** What one chunk produced, where the next one starts (null: done), and what it cost. */
export interface ChunkResult {
  pairs: DuplicatePair[];
  nextCursor: BlockCursor | null;
  /** Candidate pairs visited, owned by this block or not: the unit of `budget`. */
  visited: number;
  /** Pairs scored. */
  comparisons: number;
}

/** Blocks of each person, in key order; a pair belongs to the first block both are in. */
function keysByPerson(keys: string[], blocks: Blocks): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of keys) {
    for (const id of blocks[key] ?? []) {
      const list = out.get(id);
      if (list === undefined) out.set(id, [key]);
      else list.push(key);
    }
  }
  return out;
}

/** True when `key` is the first (in key order) block shared by the two sorted key lists. */
function ownsPair(key: string, ka: string[], kb: string[]): boolean {
  let i = 0;
  let j = 0;
  while (i < ka.length && j < kb.length) {
    const x = ka[i] ?? "";
    const y = kb[j] ?? "";
    if (x === y) return x === key;
    if (x < y) i++;
    else j++;
  }
  return false;
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? "") < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Score the candidate pairs of `blocks` from `cursor` on, visiting at most `budget` pairs, so a
 * cron job can spread a large run over several invocations (each within the CPU and memory
 * limits) and resume from a cursor kept in D1. A pair shared by several blocks is scored only
 * in the first of them, so the chunks together return exactly what one run would, whatever the
 * budget. `people` must be the same full snapshot on every invocation (name rarity is counted
 * over all of it), and the cursor is meaningful only for the same `blocks` (keep them with it).
 */
export function scoreBlockChunk(
  people: DedupePerson[],
  blocks: Blocks,
  cursor: BlockCursor | null,
  budget: number,
  options: DedupeOptions = {},
): ChunkResult {
  const { threshold } = DedupeOptionsSchema.parse(options);
  return scorePrepared(people.map(prepare), blocks, cursor, budget, threshold);
}

/** `scoreBlockChunk` on people already prepared (the one-shot run prepares them only once). */
export function scorePrepared(
  all: Prepared[],
  blocks: Blocks,
  cursor: BlockCursor | null,
  budget: number,
  threshold: number,
): ChunkResult {
  const keys = Object.keys(blocks).sort();
  const blocksOf = keysByPerson(keys, blocks);
  const byId = new Map(all.map((p) => [p.id, p]));
  const rarity = nameRarity(all);
  const pairs: DuplicatePair[] = [];
  let visited = 0;
  let comparisons = 0;
  let b = cursor === null ? 0 : lowerBound(keys, cursor.key);
  let startPair = cursor !== null && keys[b] === cursor.key ? cursor.pair : 0;
  for (; b < keys.length; b++, startPair = 0) {
    const key = keys[b] ?? "";
    const ids = blocks[key] ?? [];
    let index = 0;
    for (let i = 0; i < ids.length; i++) {
      const rowEnd = index + ids.length - 1 - i;
      if (rowEnd <= startPair) {
        index = rowEnd; // whole row done in an earlier chunk
        continue;
      }
      for (let j = i + 1; j < ids.length; j++, index++) {
        if (index < startPair) continue;
        if (visited >= budget) return { pairs, nextCursor: { key, pair: index }, visited, comparisons };
        visited++;
        const ia = ids[i] ?? "";
        const ib = ids[j] ?? "";
        if (!ownsPair(key, blocksOf.get(ia) ?? [], blocksOf.get(ib) ?? [])) continue;
        const pa = byId.get(ia);
        const pb = byId.get(ib);
        if (pa === undefined || pb === undefined) continue;
        comparisons++;
        const { score, reasons } = scorePair(pa, pb, rarity);
        // ids in a block are sorted, so a < b already
        if (score >= threshold) pairs.push({ a: ia, b: ib, score, reasons });
      }
    }
  }
  return { pairs, nextCursor: null, visited, comparisons };
}
