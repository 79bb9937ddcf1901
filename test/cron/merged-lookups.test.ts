import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rejectedBetween } from "../../src/store/merges";
import { mergedInto } from "../../src/store/people";
import { countingRowsRead } from "../helpers/rows-read";

const HELD = 5_000;

// D1 bills the rows a query reads, and a scan of `people` grows with every lead a brokerage keeps.
describe("finding who was merged into whom, among thousands of people", () => {
  beforeAll(async () => {
    const t = Date.parse("2026-11-20T00:00:00Z");
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (VALUES (1) UNION ALL SELECT i + 1 FROM n WHERE i < ?1)` +
        ` INSERT INTO people (id, first_name, last_name, created_at, updated_at) SELECT printf('per_held%05d', i), 'Held', 'Person', ?2, ?2 FROM n`,
    )
      .bind(HELD, t)
      .run();
    // per_held00002 was merged into per_held00001, and per_held00003 into per_held00002.
    await env.DB.batch([
      env.DB.prepare("UPDATE people SET merged_into = 'per_held00001' WHERE id = 'per_held00002'"),
      env.DB.prepare("UPDATE people SET merged_into = 'per_held00002' WHERE id = 'per_held00003'"),
      env.DB.prepare(
        "INSERT INTO merge_proposals (id, a, b, score, reasons, status, created_at) VALUES ('mp_held', 'per_held00003', 'per_held00004', 0.9, '[]', 'rejected', ?1)",
      ).bind(t),
    ]);
  });

  it("the records merged into a person are found by reading those records, not every person held", async () => {
    const counted = countingRowsRead(env.DB);
    expect(await mergedInto(counted.db, "per_held00001")).toEqual(["per_held00002"]);
    expect(counted.rowsRead()).toBeLessThan(50);
  });

  it("an operator's rejection of a record merged two levels down is found by reading the merged records, not every person held", async () => {
    const counted = countingRowsRead(env.DB);
    expect(await rejectedBetween(counted.db, "per_held00001", "per_held00004")).toBe(true);
    expect(await rejectedBetween(counted.db, "per_held00001", "per_held00005")).toBe(false);
    expect(counted.rowsRead()).toBeLessThan(100);
  });
});
