import { describe, expect, it } from "vitest";

// Every source file of the Worker, as text.
const files = import.meta.glob<string>("../../src/**/*.{ts,tsx}", { eager: true, query: "?raw", import: "default" });

/** The top folder under src/ that a file is in ("index.ts" for the entry). */
function folderOf(path: string): string {
  return path.replace(/^\.\.\/\.\.\/src\//, "").split("/")[0] ?? "";
}

/** The top folders each folder imports from (every import and re-export, type-only included). */
function importsOf(folder: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, text] of Object.entries(files)) {
    if (folderOf(path) !== folder) continue;
    for (const m of text.matchAll(/(?:import|export)[^"']*?from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
      const parts = path.split("/").slice(0, -1);
      for (const seg of (m[1] ?? "").split("/")) {
        if (seg === "..") parts.pop();
        else if (seg !== ".") parts.push(seg);
      }
      const target = folderOf(parts.join("/"));
      if (target !== folder) out.set(target, [...(out.get(target) ?? []), path.slice(6)]);
    }
  }
  return out;
}

/** The folders among `above` that `folder` imports, with the files that do. */
function upward(folder: string, above: string[]): Record<string, string[]> {
  return Object.fromEntries([...importsOf(folder)].filter(([to]) => above.includes(to)));
}

// Routes, ops, consumers, cron and backfill act; the queue machinery, config, store and the pure
// domain sit below them and never reach up.
const TOP = ["index.ts", "routes", "ops", "consumers", "cron", "backfill"];

describe("imports run one way", () => {
  it("finds the imports it checks", () => {
    expect([...importsOf("queues").keys()]).toContain("canonical");
    expect([...importsOf("cron").keys()]).toContain("queues");
  });

  it("the queue machinery imports nothing that uses it: no consumer, cron, route, operator action, config or vendor", () => {
    expect(upward("queues", [...TOP, "config", "vendors", "mapping", "flows", "mls", "doctor", "enrich"])).toEqual({});
  });

  it("the cron only enqueues or records: it imports no consumer, operator action, vendor or route", () => {
    expect(upward("cron", ["consumers", "ops", "vendors", "routes", "backfill", "index.ts"])).toEqual({});
  });

  it("the configuration imports nothing that reads it from above", () => {
    expect(upward("config", TOP)).toEqual({});
  });
});
