import { describe, expect, it } from "vitest";
import served from "../../src/routes/ops/openapi.json";
import { opsOpenApiDocument } from "../../src/routes/ops/openapi-doc";

describe("the ops API's committed OpenAPI document", () => {
  it("is what `npm run schema` generates from the routes' own schemas (run it if this fails)", () => {
    expect(served).toEqual(opsOpenApiDocument());
  });
});
