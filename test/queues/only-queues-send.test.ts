import { describe, expect, it } from "vitest";
import wrangler from "../../wrangler.toml?raw";

// Every source file of the Worker, as text.
const files = import.meta.glob<string>("../../src/**/*.{ts,tsx}", { eager: true, query: "?raw", import: "default" });
const QUEUES = "../../src/queues/";

/** The queue producer bindings wrangler.toml declares. */
const bindings = [...wrangler.matchAll(/\[\[queues\.producers\]\]\s*binding\s*=\s*"([A-Z_]+)"/g)].map((m) => m[1] ?? "");

// A producer is reached through its binding (`env.CRM.send(`), a variable holding it
// (`queue.sendBatch(`) or the lookup `queueOf(`; the Worker sends nothing else with `.send(`.
const SEND = /\.send(?:Batch)?\s*\(|\bqueueOf\s*\(/;
const BINDING = new RegExp(`\\.(?:${bindings.join("|")})\\s*\\.\\s*send`);

function offenders(inQueues: boolean): string[] {
  return Object.entries(files)
    .filter(([path]) => path.startsWith(QUEUES) === inQueues)
    .flatMap(([path, text]) =>
      text.split("\n").flatMap((line, i) => (SEND.test(line) || BINDING.test(line) ? [`${path.slice(6)}:${i + 1}: ${line.trim()}`] : [])),
    );
}

describe("queue traffic", () => {
  it("leaves only through src/queues/: no file outside it sends to a queue binding", () => {
    expect(Object.keys(files).length).toBeGreaterThan(100);
    expect(bindings).toEqual(expect.arrayContaining(["INBOUND", "CRM", "TMS", "ACCOUNTING", "MLS", "DEAD_LETTER"]));
    expect(offenders(false)).toEqual([]);
  });

  it("is recognised where it does happen, in src/queues/", () => {
    const inside = offenders(true);
    expect(inside.some((l) => l.includes("queues/send.ts") && /\.sendBatch\(/.test(l))).toBe(true);
    expect(inside.some((l) => l.includes("queues/run-batch.ts") && /DEAD_LETTER\.send\(/.test(l))).toBe(true);
  });
});
