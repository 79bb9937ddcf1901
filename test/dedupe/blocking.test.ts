import { describe, expect, it } from "vitest";
import { buildBlocks, findDuplicatePairs, type DedupePerson, type DedupeStats } from "../../src/dedupe/index";
import { syntheticPeople } from "./synthetic-people";

function run(people: DedupePerson[], maxBlockSize?: number): { pairs: ReturnType<typeof findDuplicatePairs>; stats: DedupeStats } {
  let stats: DedupeStats | undefined;
  const pairs = findDuplicatePairs(people, { maxBlockSize, onStats: (s) => (stats = s) });
  if (stats === undefined) throw new Error("onStats was not called");
  return { pairs, stats };
}

describe("blocking keeps the work near-linear", () => {
  it("compares far fewer than all pairs of 5,000 people and still finds the duplicates", () => {
    const { people, entity } = syntheticPeople(5_000, 11);
    const { pairs, stats } = run(people);
    const n = people.length;
    expect(stats.people).toBe(n);
    expect(stats.comparisons).toBeLessThan((n * (n - 1)) / 2 / 50);
    const sizes = new Map<string, number>();
    for (const e of entity.values()) sizes.set(e, (sizes.get(e) ?? 0) + 1);
    let truePairs = 0;
    for (const s of sizes.values()) truePairs += (s * (s - 1)) / 2;
    const tp = pairs.filter((p) => entity.get(p.a) === entity.get(p.b)).length;
    expect(tp / truePairs).toBeGreaterThan(0.95);
    expect(tp / pairs.length).toBeGreaterThan(0.9);
  });

  it("caps a huge block: 3,000 people sharing a placeholder email and phone cost no all-pairs run", () => {
    const { people } = syntheticPeople(3_000, 5);
    const placeholder = people.map((p) => ({ ...p, emails: ["noemail@noemail.com"], phones: ["000-000-0000"] }));
    const { stats } = run(placeholder, 50);
    expect(stats.droppedBlocks).toBeGreaterThan(0);
    expect(stats.comparisons).toBeLessThan(3_000 * 50);
    for (const ids of Object.values(buildBlocks(placeholder, { maxBlockSize: 50 }))) expect(ids.length).toBeLessThanOrEqual(50);
  });

  it("builds the same blocks whatever the input order", () => {
    const { people } = syntheticPeople(500, 3);
    expect(buildBlocks([...people].reverse())).toEqual(buildBlocks(people));
  });
});
