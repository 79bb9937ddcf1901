import { describe, expect, it } from "vitest";
import defaults from "../../config/brokerage.json";
import { parseConfig } from "../../src/config/load";

/** The shipped configuration with every `${VAR}` filled in, and `patch` applied to it. */
function load(patch: (doc: Record<string, unknown>) => void) {
  const doc = JSON.parse(JSON.stringify(defaults).replace(/\$\{[A-Z0-9_]+\}/g, "https://vendor.example")) as Record<string, unknown>;
  patch(doc);
  const r = parseConfig(doc, {});
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

describe("a brokerage configuration that would quietly do something else than it says", () => {
  it("is refused when a retention names no source, which would keep that source's data for ever", () => {
    expect(load(() => {})).toEqual([]);
    const errors = load((doc) => void (doc.retentionDays = { followupbos: 30, zillow: 90 }));
    expect(errors).toEqual([expect.stringMatching(/^retentionDays\.followupbos: 'followupbos' is not a source \(standard, zillow, .*\)$/)]);
  });

  it("is refused when two connections share an id, which would poll and register one vendor twice", () => {
    const errors = load((doc) => {
      const connections = doc.connections as Array<Record<string, unknown>>;
      connections.push({ ...connections[0] });
    });
    const last = (defaults.connections as unknown[]).length;
    expect(errors).toEqual([`connections.${last}.id: '${String(defaults.connections[0]?.id)}' is the id of another connection`]);
  });
});
