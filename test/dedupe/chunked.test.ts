import { describe, expect, it } from "vitest";
import {
  BlockCursorSchema,
  buildBlocks,
  findDuplicatePairs,
  scoreBlockChunk,
  type BlockCursor,
  type DedupeStats,
  type DuplicatePair,
} from "../../src/dedupe/index";
import { syntheticPeople } from "./synthetic-people";

const byIds = (x: DuplicatePair, y: DuplicatePair): number => (x.a + "|" + x.b < y.a + "|" + y.b ? -1 : 1);

describe("chunked dedupe for the Workers runtime", () => {
  it("returns exactly the one-shot pairs, resuming from a cursor stored as JSON between invocations", () => {
    const { people } = syntheticPeople(2_000, 9);
    const oneShot = findDuplicatePairs(people);
    expect(oneShot.length).toBeGreaterThan(100);
    // a pair met in several blocks is still proposed once
    expect(new Set(oneShot.map((p) => `${p.a}|${p.b}`)).size).toBe(oneShot.length);
    // What a cron job keeps in D1 between invocations: the blocks and the cursor, as text.
    const storedBlocks = JSON.stringify(buildBlocks(people));
    let stored: string | null = null;
    const chunked: DuplicatePair[] = [];
    let invocations = 0;
    do {
      const cursor: BlockCursor | null = stored === null ? null : BlockCursorSchema.parse(JSON.parse(stored));
      const chunk = scoreBlockChunk(people, JSON.parse(storedBlocks) as Record<string, string[]>, cursor, 401);
      expect(chunk.visited).toBeLessThanOrEqual(401);
      chunked.push(...chunk.pairs);
      stored = chunk.nextCursor === null ? null : JSON.stringify(chunk.nextCursor);
      invocations++;
    } while (stored !== null);
    expect(invocations).toBeGreaterThan(5);
    expect(chunked.sort(byIds)).toEqual([...oneShot].sort(byIds));
  });

  it("scores every pair that shares a block exactly once, however many blocks it shares", () => {
    const { people } = syntheticPeople(1_000, 2);
    const distinct = new Set<string>();
    for (const ids of Object.values(buildBlocks(people))) {
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) distinct.add(`${ids[i]}|${ids[j]}`);
    }
    let stats: DedupeStats | undefined;
    findDuplicatePairs(people, { onStats: (s) => (stats = s) });
    expect(stats?.visited).toBeGreaterThan(distinct.size); // many pairs share several blocks
    expect(stats?.comparisons).toBe(distinct.size);
  });

  it("gives the same result whatever the budget, down to one pair per chunk", () => {
    const { people } = syntheticPeople(150, 4);
    const blocks = buildBlocks(people);
    const collect = (budget: number): DuplicatePair[] => {
      const out: DuplicatePair[] = [];
      let cursor: BlockCursor | null = null;
      do {
        const chunk = scoreBlockChunk(people, blocks, cursor, budget);
        out.push(...chunk.pairs);
        cursor = chunk.nextCursor;
      } while (cursor !== null);
      return out.sort(byIds);
    };
    const all = collect(Number.POSITIVE_INFINITY);
    expect(all.length).toBeGreaterThan(5);
    expect(collect(1)).toEqual(all);
    expect(collect(37)).toEqual(all);
  });
});
