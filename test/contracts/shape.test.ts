/** The shape check the sandbox contract tests rely on reports what a body lacks or changes. */
import { describe, expect, it } from "vitest";
import { mismatches, shapeOf } from "./shape";

const published = {
  value: { saleGuid: "g" },
  warnings: [],
  links: [
    { href: "api/x", rel: "sale", method: "GET" },
    { href: "https://x", rel: "SkySlope", method: null },
  ],
  note: null,
};

describe("a shape derived from a published body", () => {
  it("accepts the body itself, extra keys, and nulls where values were published", () => {
    expect(mismatches(published, shapeOf(published))).toEqual([]);
    expect(mismatches({ ...published, extra: 1, note: "now a string" }, shapeOf(published))).toEqual([]);
  });

  it("reports a missing key, a changed JSON type, and an array item unlike every published one", () => {
    const { warnings: _w, ...noWarnings } = published;
    expect(mismatches(noWarnings, shapeOf(published))).toEqual(["$.warnings: missing"]);
    expect(mismatches({ ...published, value: { saleGuid: 7 } }, shapeOf(published))).toEqual([
      "$.value.saleGuid: number, published string",
    ]);
    expect(mismatches({ ...published, links: [{ href: "a", rel: "b" }] }, shapeOf(published))).toEqual(["$.links[0].method: missing"]);
  });

  it("treats a bare array and a value wrapper as different shapes", () => {
    expect(mismatches({ value: [] }, shapeOf([{ a: 1 }]))).toEqual(["$: object, published array"]);
  });
});
