import { describe, expect, it } from "vitest";
import committed from "../../docs/ops-api.openapi.json";
import { api as apiApp } from "../../src/routes/ops/api";
import { api } from "./helpers";

interface Param {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: { enum?: string[]; type?: string };
}
interface Operation {
  operationId: string;
  parameters: Param[];
  requestBody?: {
    required: boolean;
    content: {
      "application/json": { schema: { required?: string[]; properties?: Record<string, { minLength?: number; maximum?: number }> } };
    };
  };
  responses: Record<string, unknown>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const registered = apiApp.routes
  .filter((r) => r.method !== "ALL")
  .map((r) => `${r.method.toLowerCase()} /ops/api${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);

describe("the ops API's OpenAPI document (docs/ops-api.openapi.json)", () => {
  const doc = committed as unknown as Doc;
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));

  it("is OpenAPI 3.1 and documents exactly the routes the API registers", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect([...documented].sort()).toEqual([...registered].sort());
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(Object.keys(doc.components.securitySchemes)).toContain("bearer");
  });

  it("describes inputs from the validation schemas: the discard body needs a reason, bulk replay caps its pace", () => {
    const discard = doc.paths["/ops/api/dead-letters/{id}/discard"]?.post;
    expect(discard?.requestBody?.required).toBe(true);
    const body = discard?.requestBody?.content["application/json"].schema;
    expect(body?.required).toEqual(["reason"]);
    expect(body?.properties?.reason?.minLength).toBe(3);
    const bulk = doc.paths["/ops/api/dead-letters/replay"]?.post?.requestBody?.content["application/json"].schema;
    expect(bulk?.properties?.perSecond?.maximum).toBe(50);
    const record = doc.paths["/ops/api/records/{id}"]?.get;
    expect(record?.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    const search = doc.paths["/ops/api/records/search"]?.post?.requestBody;
    expect(search?.required).toBe(true);
    expect(search?.content["application/json"].schema.required).toEqual(["q"]);
    expect(doc.paths["/ops/api/records"]).toBeUndefined();
  });

  it("every documented query enum is what the route enforces: a listed value passes, any other is 422", async () => {
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const get = ops.get;
      if (!get || path.includes("{")) continue;
      const required = get.parameters.filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=ana`);
      for (const p of get.parameters.filter((x) => x.in === "query" && x.schema.enum)) {
        const url = (v: string) => `${path.replace("/ops/api", "")}?${[...required, `${p.name}=${v}`].join("&")}`;
        const good = await api(url(p.schema.enum?.[0] ?? ""));
        expect(good.status, `${path} ${p.name}`).toBe(200);
        const bad = await api(url("not-a-listed-value"));
        expect(bad.status, `${path} ${p.name}`).toBe(422);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it("every refusal a body route gives an oversized, non-JSON or cross-site request is one its entry documents", async () => {
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      const post = ops.post;
      if (!post?.requestBody) continue;
      const url = path.replace("/ops/api", "").replace(/\{[^}]+\}/g, "x-1");
      const answers = [
        await api(url, { method: "POST", headers: { "content-type": "application/json" }, body: `{"q":"${"x".repeat(17_000)}"}` }),
        await api(url, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }),
        await api(url, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: "{}" }),
      ];
      expect(
        answers.map((r) => r.status),
        path,
      ).toEqual([413, 415, 403]);
      for (const r of answers) expect(Object.keys(post.responses), `${path} ${r.status}`).toContain(String(r.status));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});
