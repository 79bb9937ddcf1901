import { describe, expect, it } from "vitest";
import { planShards } from "../../scripts/lib/shard-plan.mjs";

const total = (files: string[], seconds: Record<string, number>) => files.reduce((t, f) => t + (seconds[f] ?? 0), 0);

describe("npm test's shards", () => {
  it("puts the two longest files on different shards and evens out the rest behind them", () => {
    const seconds = { "test/a.test.ts": 90, "test/b.test.ts": 70, "test/c.test.ts": 30, "test/d.test.ts": 25, "test/e.test.ts": 20 };
    const plan = planShards(Object.keys(seconds), seconds, 2);
    expect(plan.flat().sort()).toEqual(Object.keys(seconds));
    expect(plan.find((s) => s.includes("test/a.test.ts"))).not.toContain("test/b.test.ts");
    expect(plan.map((s) => total(s, seconds)).sort((x, y) => x - y)).toEqual([115, 120]);
  });

  it("counts a file the record does not know as the median of those it does", () => {
    const seconds = { "test/a.test.ts": 50, "test/b.test.ts": 10, "test/c.test.ts": 10 };
    const plan = planShards([...Object.keys(seconds), "test/new.test.ts"], seconds, 2);
    // At the median (10) the new file joins the short ones, not the 50 s file.
    expect(plan).toContainEqual(["test/a.test.ts"]);
    expect(plan.flat()).toHaveLength(4);
  });
});
