import { describe, expect, it } from "vitest";

// Every source file of the Worker, as text.
const files = import.meta.glob<string>("../../src/**/*.{ts,tsx}", { eager: true, query: "?raw", import: "default" });

/** The top folder under src/ that a file is in ("index.ts" for the entry, imported as "./index"). */
function folderOf(path: string): string {
  const top = path.replace(/^\.\.\/\.\.\/src\//, "").split("/")[0] ?? "";
  return top === "index" ? "index.ts" : top;
}

/**
 * The top folders each folder imports from: every import and re-export, type-only included, and
 * every `import("…")` (a dynamic import or a type written as one).
 */
function importsOf(folder: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, text] of Object.entries(files)) {
    if (folderOf(path) !== folder) continue;
    for (const m of text.matchAll(/(?:(?:import|export)[^"']*?from\s+|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const parts = path.split("/").slice(0, -1);
      for (const seg of (m[1] ?? "").split("/")) {
        if (seg === "..") parts.pop();
        else if (seg !== ".") parts.push(seg);
      }
      const resolved = parts.join("/");
      if (!resolved.startsWith("../../src/")) continue; // the brokerage's JSON configuration, outside src/
      const target = folderOf(resolved);
      if (target !== folder) out.set(target, [...(out.get(target) ?? []), path.slice(6)]);
    }
  }
  return out;
}

/** The folders among `above` that `folder` imports, with the files that do. */
function upward(folder: string, above: string[]): Record<string, string[]> {
  return Object.fromEntries([...importsOf(folder)].filter(([to]) => above.includes(to)));
}

/**
 * The folder cycles of an import graph: each set of two or more folders that reach one another
 * (a strongly connected component, by Tarjan's algorithm), sorted, so a cycle reads the same
 * wherever it is entered.
 */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}

/** Each folder cycle of src/, with the imports inside it ("store → mls": the files that import). */
function folderCycles(): Array<Record<string, string[]>> {
  const folders = [...new Set(Object.keys(files).map(folderOf))];
  const imports = new Map(folders.map((f) => [f, importsOf(f)]));
  const graph = new Map([...imports].map(([f, to]) => [f, [...to.keys()]]));
  return cyclesOf(graph).map((cycle) => {
    const edges: Record<string, string[]> = {};
    for (const from of cycle) {
      for (const [to, by] of imports.get(from) ?? []) if (cycle.includes(to)) edges[`${from} → ${to}`] = [...new Set(by)].sort();
    }
    return edges;
  });
}

// Routes, ops, consumers, cron and backfill act; the queue machinery, config, store and the pure
// domain sit below them and never reach up.
const TOP = ["index.ts", "routes", "ops", "consumers", "cron", "backfill"];

describe("imports run one way", () => {
  it("finds the imports it checks", () => {
    expect([...importsOf("queues").keys()]).toContain("canonical");
    expect([...importsOf("cron").keys()]).toContain("queues");
    // Type-only: the lead flow reads the routing rules' type from the configuration.
    expect([...importsOf("flows").keys()]).toContain("config");
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

/**
 * Every folder of src/, top to bottom. A folder imports only from rows below its own, type-only
 * imports included; folders in one row do not import each other.
 */
const LAYERS = [
  ["env.d.ts"], // the generated binding types, which name the entry's Durable Object class
  ["index.ts"],
  ["routes", "consumers"],
  ["ops"],
  ["backfill", "cron"],
  ["doctor"],
  ["mls", "enrich"],
  ["vendors"],
  ["flows", "mapping"],
  ["config"],
  ["queues"],
  ["alerts"],
  ["store", "normalize", "verify", "durable", "dedupe"],
  ["canonical"],
  ["lib"],
];

describe("the folders stack in one order, with no cycle", () => {
  it("every folder is in the layer order", () => {
    expect([...new Set(Object.keys(files).map(folderOf))].sort()).toEqual(LAYERS.flat().sort());
  });

  it("every folder imports only from the layers below its own, type-only imports included", () => {
    const reaching: Record<string, Record<string, string[]>> = {};
    LAYERS.forEach((row, i) => {
      const below = LAYERS.slice(i + 1).flat();
      for (const folder of row) {
        const up = Object.fromEntries([...importsOf(folder)].filter(([to]) => !below.includes(to)));
        if (Object.keys(up).length > 0) reaching[folder] = up;
      }
    });
    expect(reaching).toEqual({});
  });

  it("the cycle finder reports folders that reach one another, directly or around a ring, and nothing else", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", ["e"]],
      ["e", ["d"]],
      ["f", ["a"]],
    ]);
    expect(cyclesOf(graph)).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    expect(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("no folder under src/ imports, even only a type, from a folder that imports it back", () => {
    expect(folderCycles()).toEqual([]);
  });
});
