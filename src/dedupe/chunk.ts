import { liveKeys, type Blocks } from "./blocking";
import { prepare, preparedNames, type Prepared } from "./prepare";
import { nameRarity, type Rarity } from "./rarity";
import type { DedupePerson, DuplicatePair } from "./records";
import { DedupeOptionsSchema, type BlockCursor, type DedupeOptions } from "./schema";
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
  // Only the names of everyone (for rarity); full preparation only for people this chunk meets,
  // which keeps an invocation's memory to the input plus a slice of it.
  const rarity = nameRarity(people.map(preparedNames));
  const byId = new Map(people.map((p) => [p.id, p]));
  const cache = new Map<string, Prepared>();
  const get = (id: string): Prepared | undefined => {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const person = byId.get(id);
    if (person === undefined) return undefined;
    const p = prepare(person);
    cache.set(id, p);
    return p;
  };
  return scoreBlocks(get, rarity, blocks, cursor, budget, threshold);
}

/** The pair loop shared by the chunked and the one-shot run (which prepares everyone once). */
export function scoreBlocks(
  get: (id: string) => Prepared | undefined,
  rarity: Rarity,
  blocks: Blocks,
  cursor: BlockCursor | null,
  budget: number,
  threshold: number,
): ChunkResult {
  const keys = Object.keys(blocks).sort();
  const keyCache = new Map<string, string[]>();
  const blocksOf = (id: string, p: Prepared): string[] => {
    let k = keyCache.get(id);
    if (k === undefined) {
      k = liveKeys(p, blocks);
      keyCache.set(id, k);
    }
    return k;
  };
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
        const pa = get(ia);
        const pb = get(ib);
        if (pa === undefined || pb === undefined) continue;
        if (!ownsPair(key, blocksOf(ia, pa), blocksOf(ib, pb))) continue;
        comparisons++;
        const { score, reasons } = scorePair(pa, pb, rarity);
        // ids in a block are sorted, so a < b already
        if (score >= threshold) pairs.push({ a: ia, b: ib, score, reasons });
      }
    }
  }
  return { pairs, nextCursor: null, visited, comparisons };
}
