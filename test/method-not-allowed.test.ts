import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const hub = (method: string, path: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(`http://hub.test${path}`, { method, headers });

describe("a request with a method its path does not serve", () => {
  it("gets 405 method_not_allowed naming the methods that are served there", async () => {
    const res = await hub("GET", "/hooks/idx");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ code: "method_not_allowed", status: 405 });

    const health = await hub("DELETE", "/health");
    expect(health.status).toBe(405);
    expect(health.headers.get("allow")).toBe("GET");
  });

  it("on the admin API only once authenticated: a stranger learns nothing of its routes", async () => {
    expect((await hub("DELETE", "/ops/api/dead-letters")).status).toBe(401);
    const res = await hub("DELETE", "/ops/api/dead-letters", { authorization: `Bearer ${env.OPS_TOKEN}` });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("a path no method serves is still 404 not_found", async () => {
    const res = await hub("GET", "/nowhere");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found" });
  });
});
