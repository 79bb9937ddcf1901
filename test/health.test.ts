import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("reports the version and every binding reachable", async () => {
    const res = await exports.default.fetch("http://hub.test/health");
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; version: string; bindings: Record<string, string> }>();
    expect(body.status).toBe("ok");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.values(body.bindings)).toEqual(["ok", "ok", "ok", "ok"]);
  });

  it("answers unknown paths with a problem document", async () => {
    const res = await exports.default.fetch("http://hub.test/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 404, code: "not_found" });
  });
});
