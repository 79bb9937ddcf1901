import { describe, expect, it } from "vitest";
import { EventType, schemaFiles } from "../../src/canonical";
import { declaredFieldSchemas, FieldsConfig } from "../../src/config/fields";
import brokerage from "../../config/brokerage.json";
import { SUBSCRIBERS } from "../../src/queues/routing";

// The committed files, read through Vite so this test runs inside workerd without node:fs.
const committed = import.meta.glob<Record<string, unknown>>("../../schema/*.json", { eager: true, import: "default" });
const byName = Object.fromEntries(Object.entries(committed).map(([p, json]) => [p.split("/").pop() ?? p, json]));

describe("committed JSON Schema files", () => {
  const expected = schemaFiles(SUBSCRIBERS, declaredFieldSchemas(FieldsConfig.parse((brokerage as { fields?: unknown }).fields)));

  it("exist for every event type plus the index, and nothing else", () => {
    expect(Object.keys(byName).sort()).toEqual(Object.keys(expected).sort());
    for (const type of EventType.options) expect(byName).toHaveProperty([`${type}.json`]);
  });

  it.each(Object.keys(expected))("%s is what `npm run schema` generates (run it if this fails)", (name) => {
    expect(byName[name]).toEqual(expected[name]);
  });

  it("describe each type's data, so a consumer can validate without TypeScript", () => {
    const lead = byName["lead.received.json"] as { properties: Record<string, { const?: string; properties?: Record<string, unknown> }> };
    expect(lead.properties.type?.const).toBe("lead.received");
    expect(Object.keys(lead.properties.data?.properties ?? {})).toContain("person");
  });
});
