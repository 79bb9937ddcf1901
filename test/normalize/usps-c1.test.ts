import { describe, expect, it } from "vitest";
import c1Csv from "../../../shared/data/usps_pub28_tables/c1_street_suffixes.csv?raw";
import c2 from "../../../shared/data/usps_pub28_tables/c2_secondary_unit_designators_scourgify.json";
import states from "../../../shared/data/usps_pub28_tables/state_name_to_usps_code_scourgify.json";
import { parseAddress } from "../../src/normalize";

const rows = c1Csv
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",") as [primary: string, form: string, std: string]);
const standardsOf = new Map<string, Set<string>>();
for (const [, form, std] of rows) standardsOf.set(form, (standardsOf.get(form) ?? new Set()).add(std));

describe("USPS Publication 28 C1 street suffixes", () => {
  it("has the 553 rows the README describes", () => {
    expect(rows).toHaveLength(553);
  });

  it("maps every commonly used form listed under one standard to that standard (100%)", () => {
    const unambiguous = rows.filter(([, form]) => standardsOf.get(form)?.size === 1);
    const wrong = unambiguous.filter(([, form, std]) => {
      const r = parseAddress(`123 Main ${form}`);
      return !r.ok || r.value.suffix?.toUpperCase() !== std;
    });
    expect(wrong).toEqual([]);
    expect(unambiguous.length).toBe(551);
  });

  it("keeps MDW as MDW: C1 lists it under both MEADOW (MDW) and MEADOWS (MDWS)", () => {
    expect([...(standardsOf.get("MDW") ?? [])].sort()).toEqual(["MDW", "MDWS"]);
    const r = parseAddress("123 Green MDW");
    expect(r.ok && r.value.suffix).toBe("Mdw");
  });

  it("abbreviates the primary names too", () => {
    const wrong = rows.filter(([primary, , std]) => {
      const r = parseAddress(`123 Main ${primary}`);
      return !r.ok || r.value.suffix?.toUpperCase() !== std;
    });
    expect(wrong).toEqual([]);
  });
});

describe("USPS Publication 28 C2 unit designators and states", () => {
  it("abbreviates every C2 designator (with Pub 28's HNGR and UPPR)", () => {
    const expected: Record<string, string> = { ...c2, UPPER: "UPPR" };
    for (const [word, abbr] of Object.entries(expected)) {
      if (word === "#") continue;
      const r = parseAddress(`123 Main St ${word} 4`);
      expect(r.ok && r.value.unitType?.toUpperCase(), word).toBe(abbr);
    }
  });

  it("turns every state name and historical abbreviation into its two-letter code", () => {
    for (const [name, code] of Object.entries(states as Record<string, string>)) {
      const r = parseAddress(`123 Main St, Springfield, ${name} 12345`);
      expect(r.ok && r.value.state, name).toBe(code);
    }
  });
});
