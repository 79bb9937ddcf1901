import { describe, expect, it } from "vitest";
import documented from "../../docs/ops-api.openapi.json";
import { opsOpenApiDocument } from "../../src/routes/ops/openapi-doc";

describe("the ops API's committed OpenAPI document", () => {
  it("is what `npm run schema` generates from the routes' own schemas (run it if this fails)", () => {
    expect(documented).toEqual(opsOpenApiDocument());
  });

  it("gives every operation a summary and a tag, and every response a description", () => {
    const doc = documented as unknown as {
      paths: Record<
        string,
        Record<string, { summary?: string; tags?: string[]; responses: Record<string, { description?: string; $ref?: string }> }>
      >;
    };
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) {
        expect(op.summary).toEqual(expect.any(String));
        expect(op.tags).toEqual([expect.any(String)]);
        for (const r of Object.values(op.responses)) expect(r.description ?? r.$ref).toEqual(expect.any(String));
      }
    expect(doc.paths["/ops/api/records/search"]?.post?.summary).toMatch(/email, phone, name/);
  });
});
