import { describe, expect, it } from "vitest";

// Every source file of the Worker and the sandbox, as text.
const files = {
  ...import.meta.glob<string>("../../src/**/*.{ts,tsx}", { eager: true, query: "?raw", import: "default" }),
  ...import.meta.glob<string>("../../sandbox/src/**/*.{ts,tsx}", { eager: true, query: "?raw", import: "default" }),
};

describe("zod imports", () => {
  it("are namespace imports: a named import pulls every locale and converter into the bundle", () => {
    expect(Object.keys(files).length).toBeGreaterThan(100);
    const named = Object.entries(files)
      .filter(([, text]) => /import\s+(type\s+)?\{[^}]*\}\s+from\s+["']zod["']/.test(text))
      .map(([p]) => p);
    expect(named).toEqual([]);
  });
});
