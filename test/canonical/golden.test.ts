import { describe, expect, it } from "vitest";
import { CorruptRecordError, parseGoldenFields } from "../../src/canonical/golden";

describe("stored golden fields", () => {
  it("parse to fields with their provenance", () => {
    expect(parseGoldenFields("p-1", '{"stage":{"value":"closed","system":"dotloop","at":"2026-01-02T03:04:05.000Z"}}')).toEqual({
      stage: { value: "closed", system: "dotloop", at: "2026-01-02T03:04:05.000Z" },
    });
  });

  it("that are not JSON are refused with golden_record_corrupt naming the record", () => {
    const err = (() => {
      try {
        parseGoldenFields("p-2", '{"stage":');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect(err).toMatchObject({ code: "golden_record_corrupt", recordId: "p-2" });
  });

  it("that are JSON but not the golden shape (a field without provenance) are refused", () => {
    expect(() => parseGoldenFields("p-3", '{"stage":"closed"}')).toThrow(/p-3 is corrupt \(fields stage/);
    expect(() => parseGoldenFields("p-4", "[1]")).toThrow(CorruptRecordError);
  });
});
