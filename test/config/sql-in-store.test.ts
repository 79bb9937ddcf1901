import { describe, expect, it } from "vitest";

// Every source file of the Worker, as text.
const files = import.meta.glob<string>("../../src/**/*.{ts,tsx}", { eager: true, query: "?raw", import: "default" });

describe("SQL", () => {
  it("is prepared only in the store: no source file outside src/store/ calls .prepare(", () => {
    expect(Object.keys(files).length).toBeGreaterThan(100);
    const outside = Object.entries(files)
      .filter(([path, text]) => !path.startsWith("../../src/store/") && /\.prepare\s*\(/.test(text))
      .map(([path]) => path);
    expect(outside).toEqual([]);
  });
});
