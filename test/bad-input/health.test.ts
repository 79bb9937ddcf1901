import { describe, expect, it } from "vitest";
import { healthCases } from "./corpus/health";
import { buildHooksCorpus } from "./corpus/hooks";
import type { BadCase } from "./corpus/types";
import { countByRoute } from "./run";
import { badInputSuite } from "./suite";

badInputSuite("GET /health answers every malformed request cleanly", async () => healthCases(), ["health"]);

// What a case sends, minus the signature headers (they carry the clock).
function shape(c: BadCase): string {
  const body = typeof c.body === "function" ? "<stream>" : typeof c.body === "string" ? c.body : c.body ? [...c.body].join(",") : "";
  return `${c.name} ${c.method} ${c.path} ${JSON.stringify(c.expect)} ${body.length}:${body.slice(0, 200)}`;
}

describe("the bad-input corpus itself", () => {
  it("holds at least 200 malformed requests for every public route, each under a unique name", async () => {
    const all = [...(await buildHooksCorpus()), ...healthCases()];
    const counts = countByRoute(all);
    expect(Object.keys(counts).sort()).toEqual(["/health", "/hooks/:source"]);
    for (const [route, n] of Object.entries(counts)) expect(n, route).toBeGreaterThanOrEqual(200);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });

  it("is deterministic: two builds produce the same requests", async () => {
    const [a, b] = [await buildHooksCorpus(), await buildHooksCorpus()];
    expect(a.map(shape)).toEqual(b.map(shape));
  });
});
