import { describe, expect, it } from "vitest";
import csv from "../../../shared/data/splink_fake_1000/fake_1000.csv?raw";
import { findDuplicatePairs, type DedupePerson } from "../../src/dedupe/index";

/** The first `rows` records of Splink's fake_1000 (columns: unique_id, first_name, surname, dob, city, email, cluster). */
function slice(rows: number): { people: DedupePerson[]; cluster: Map<string, string> } {
  const people: DedupePerson[] = [];
  const cluster = new Map<string, string>();
  for (const line of csv
    .trim()
    .split(/\r?\n/)
    .slice(1, rows + 1)) {
    const [id = "", first, last, dob, city, email, c = ""] = line.split(",");
    cluster.set(id, c);
    const opt = (s: string | undefined): string | undefined => (s === undefined || s === "" ? undefined : s);
    people.push({
      id,
      firstName: opt(first),
      lastName: opt(last),
      birthDate: opt(dob),
      address: { city: opt(city) },
      emails: email ? [email] : [],
    });
  }
  return { people, cluster };
}

describe("splink fake_1000 (third-party labelled people)", () => {
  it("finds the labelled duplicates of the first 300 rows with F1 above 0.8 and precision above 0.98", () => {
    const { people, cluster } = slice(300);
    const sizes = new Map<string, number>();
    for (const c of cluster.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    let truePairs = 0;
    for (const s of sizes.values()) truePairs += (s * (s - 1)) / 2;
    const pairs = findDuplicatePairs(people);
    const tp = pairs.filter((p) => cluster.get(p.a) === cluster.get(p.b)).length;
    const precision = tp / pairs.length;
    const recall = tp / truePairs;
    const f1 = (2 * precision * recall) / (precision + recall);
    expect(truePairs).toBeGreaterThan(300);
    expect(precision).toBeGreaterThan(0.98);
    expect(f1).toBeGreaterThan(0.8);
  });
});
