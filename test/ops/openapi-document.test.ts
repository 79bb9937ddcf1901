import { describe, expect, it } from "vitest";
import served from "../../src/routes/ops/openapi.json";
import documented from "../../docs/ops-api.openapi.json";
import { opsOpenApiDocument, responseShape, servedOpenApiDocument } from "../../src/routes/ops/openapi-doc";

describe("the ops API's committed OpenAPI document", () => {
  it("is what `npm run schema` generates from the routes' own schemas (run it if this fails)", () => {
    expect(documented).toEqual(opsOpenApiDocument());
    expect(served).toEqual(servedOpenApiDocument(opsOpenApiDocument()));
  });

  it("served, keeps every response's description (OpenAPI requires it) and leaves the optional prose to the committed one", () => {
    const doc = served as unknown as {
      paths: Record<
        string,
        Record<string, { summary?: string; tags?: string[]; responses: Record<string, { description?: string; $ref?: string }> }>
      >;
    };
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) {
        expect(op.summary).toBeUndefined();
        expect(op.tags).toBeUndefined();
        for (const r of Object.values(op.responses)) expect(r.description ?? r.$ref).toEqual(expect.any(String));
      }
    const full = documented as unknown as typeof doc;
    expect(full.paths["/ops/api/records/search"]?.post?.summary).toMatch(/email, phone, name/);
    expect(full.paths["/ops/api/records/search"]?.post?.tags).toEqual(["records"]);
    const replay = (d: typeof doc) => d.paths["/ops/api/dead-letters/replay"]?.post?.responses["200"]?.description;
    expect(replay(doc)).toBe("{ matched, replayed, failed, remaining, done, perSecond, spreadSeconds, ids }");
    expect(replay(full)).toMatch(/^\{ matched, .* \}: call again with the same filter/);
  });

  it("serves a response's description as the shape of its body, nested braces and all", () => {
    expect(responseShape("{ a, b: [{ c, d? }] }: one page; more prose.")).toBe("{ a, b: [{ c, d? }] }");
    expect(responseShape("{ key, state: 'resolved' }. A check that still sees it fires it again.")).toBe("{ key, state: 'resolved' }");
    expect(responseShape("The letter, its attempt history and payload.")).toBe("The letter, its attempt history and payload.");
    expect(responseShape("{ unclosed")).toBe("{ unclosed");
  });
});
