import { describe, expect, it } from "vitest";
import { connectCallbackCases, connectStartCases } from "./corpus/connect";
import { healthCases } from "./corpus/health";
import { buildHooksCorpus } from "./corpus/hooks";
import { opsApiCases } from "./corpus/ops-api";
import { opsDashboardCases } from "./corpus/ops-dashboard";
import type { BadCase } from "./corpus/types";
import { countByRoute } from "./run";
import { badInputSuite } from "./suite";

badInputSuite("GET /health answers every malformed request cleanly", async () => healthCases(), ["health"], { validSource: "docusign" });

// What a case sends, minus headers and connect states (signatures and expiries carry the clock).
function shape(c: BadCase): string {
  const body = typeof c.body === "function" ? "<stream>" : typeof c.body === "string" ? c.body : c.body ? [...c.body].join(",") : "";
  // Connect states carry their expiry: compare everything but the signed value.
  const path = c.path.replace(/([?&]state=)[^&]+/, "$1<state>");
  return `${c.name} ${c.method} ${path} ${JSON.stringify(c.expect)} ${body.length}:${body.slice(0, 200)}`;
}

async function everyCase(): Promise<BadCase[]> {
  return [
    ...(await buildHooksCorpus()),
    ...healthCases(),
    ...connectStartCases(),
    ...(await connectCallbackCases()),
    ...opsApiCases(),
    ...(await opsDashboardCases()),
  ];
}

describe("the bad-input corpus itself", () => {
  it("holds at least 200 malformed requests for every public route, each under a unique name", async () => {
    const all = await everyCase();
    const counts = countByRoute(all);
    expect(Object.keys(counts).sort()).toEqual([
      "/connect/:vendor",
      "/connect/:vendor/callback",
      "/health",
      "/hooks/:source",
      "/ops (dashboard)",
      "/ops/api/*",
    ]);
    for (const [route, n] of Object.entries(counts)) expect(n, route).toBeGreaterThanOrEqual(200);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });

  it("is deterministic: two builds produce the same requests", async () => {
    const [a, b] = [await everyCase(), await everyCase()];
    expect(a.map(shape)).toEqual(b.map(shape));
  });
});
