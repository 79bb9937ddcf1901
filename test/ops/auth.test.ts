import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { tokenLabel, tokenMatches, tokenWeakness } from "../../src/ops/credentials";
import { clientOf } from "../../src/ops/rate-limit";
import { failureWindow } from "../../src/store/ops-sessions";
import { ops } from "../../src/routes/ops";
import { API } from "../../src/routes/ops/spec";
import { api, hub, ORIGIN } from "./helpers";

/** Every route the ops sub-app registered (middleware entries are method ALL). */
const routes = ops.routes.filter((r) => r.method !== "ALL").map((r) => ({ method: r.method, path: r.path.replace(/:(id|key)\b/g, "x-1") }));
const apiRoutes = routes.filter((r) => r.path.startsWith("/api/"));
const PUBLIC = new Set(["GET /login", "POST /login", "POST /logout"]);
const pages = routes.filter((r) => !r.path.startsWith("/api/") && !PUBLIC.has(`${r.method} ${r.path}`));

/** Each call is its own client, so the per-client failure limit (tested on its own) stays out of the way. */
function call(method: string, path: string, headers: Record<string, string> = {}, e: Partial<Env> = {}) {
  const init: RequestInit = {
    method,
    headers: { origin: ORIGIN, "cf-connecting-ip": `2001:db8:${crypto.randomUUID().slice(0, 4)}::1`, ...headers },
  };
  if (method === "POST") init.body = "{}";
  return hub.request(`${ORIGIN}/ops${path === "/" ? "" : path}`, init, { ...env, ...e });
}

async function login(token = env.OPS_TOKEN, origin = ORIGIN, base = ORIGIN): Promise<Response> {
  return hub.request(
    `${base}/ops/login`,
    {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, next: "/ops/dead-letters" }),
    },
    env,
  );
}

describe("every ops API route refuses a request without valid credentials", () => {
  it("the route list is the whole API", () => {
    expect(apiRoutes.length).toBe(Object.keys(API).length);
  });

  for (const r of apiRoutes) {
    it(`${r.method} ${r.path}: 401 problem without a token, with a wrong one, and with an unset OPS_TOKEN`, async () => {
      for (const [headers, e] of [
        [{}, {}],
        [{ authorization: `Bearer ${env.OPS_TOKEN}x` }, {}],
        [{ authorization: `Basic ${btoa(`ops:${env.OPS_TOKEN}`)}` }, {}],
        [{ authorization: "Bearer anything" }, { OPS_TOKEN: "" }],
        [{ "cf-access-jwt-assertion": "e30.e30.e30" }, {}],
      ] as Array<[Record<string, string>, Partial<Env>]>) {
        const res = await call(r.method, r.path, headers, e);
        expect(res.status).toBe(401);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(res.headers.get("www-authenticate")).toContain("Bearer");
        expect(await res.json()).toMatchObject({ code: "unauthorized", status: 401 });
      }
    });
  }

  it("the token is accepted on every API route's auth check (nothing answers 401 with it)", async () => {
    for (const r of apiRoutes) {
      const res = await call(r.method, r.path, { authorization: `Bearer ${env.OPS_TOKEN}` });
      expect(res.status, `${r.method} ${r.path}`).not.toBe(401);
    }
  });
});

describe("the API refuses a change another site asks a browser to make", () => {
  const token = { authorization: `Bearer ${env.OPS_TOKEN}` };
  const changes = apiRoutes.filter((r) => r.method !== "GET");

  it("every route that changes something: 403 for another origin or a cross-site fetch, with valid credentials", async () => {
    expect(changes.length).toBeGreaterThan(5);
    for (const r of changes) {
      for (const headers of [
        { origin: "https://evil.example" } as Record<string, string>,
        { origin: "", "sec-fetch-site": "cross-site" },
        { origin: "", "sec-fetch-site": "same-site" },
      ]) {
        const res = await call(r.method, r.path, { ...token, ...headers });
        expect(res.status, `${r.method} ${r.path} ${JSON.stringify(headers)}`).toBe(403);
        expect(await res.json()).toMatchObject({ code: "forbidden" });
      }
    }
  });

  it("the doctor, which renews every vendor credential as it checks, is not run for another site", async () => {
    for (const site of ["cross-site", "same-site"]) {
      const res = await call("GET", "/api/doctor", { ...token, origin: "", "sec-fetch-site": site });
      expect(res.status, site).toBe(403);
      expect(await res.json()).toMatchObject({ code: "forbidden" });
    }
  });

  it("clients that are not browsers (no Origin) and reads from anywhere are served", async () => {
    for (const r of changes) expect((await call(r.method, r.path, { ...token, origin: "" })).status, r.path).not.toBe(403);
    expect((await call("GET", "/api/alerts", { ...token, origin: "https://evil.example" })).status).toBe(200);
  });
});

describe("every dashboard page and form sends an anonymous visitor to the login page", () => {
  it("the list holds every page and form (overview, records, deliveries, dead letters, merges, ROI, drift, alerts)", () => {
    const paths = new Set(pages.map((p) => p.path));
    for (const p of [
      "/",
      "/records",
      "/records/x-1",
      "/deliveries/x-1",
      "/dead-letters",
      "/dead-letters/x-1/replay",
      "/dead-letters/x-1/discard",
      "/merges/x-1/approve",
      "/merges/x-1/reject",
      "/roi",
      "/drift",
      "/alerts",
      "/alerts/x-1/resolve",
    ]) {
      expect(paths.has(p), p).toBe(true);
    }
  });

  for (const r of pages) {
    it(`${r.method} ${r.path}`, async () => {
      const res = await call(r.method, r.path);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toMatch(/^\/ops\/login/);
    });
  }

  it("a forged cookie opens nothing: 401 problem, and the cookie is cleared", async () => {
    for (const cookie of [
      "ops_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "ops_session=9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      `ops_session=${env.OPS_TOKEN}`,
    ]) {
      const res = await call("GET", "/", { cookie });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("set-cookie")).toMatch(/ops_session=;.*Max-Age=0/i);
    }
  });
});

describe("dashboard login", () => {
  it("sets an HttpOnly, SameSite=Strict, Secure session cookie that does not contain the token, then pages open", async () => {
    const res = await login();
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/ops/dead-letters");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^ops_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/ops/);
    expect(cookie).toMatch(/Secure/i); // not loopback: the cookie never travels in clear
    expect(cookie).not.toContain(env.OPS_TOKEN);
    const page = await call("GET", "/", { cookie: cookie.split(";")[0] ?? "" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain("Throughput per stage");
  });

  it("over https the cookie is Secure; only on loopback over plain http (npm start) is it not", async () => {
    const res = await login(env.OPS_TOKEN, "https://hub.test", "https://hub.test");
    expect(res.headers.get("set-cookie")).toMatch(/Secure/);
    const local = await login(env.OPS_TOKEN, "http://127.0.0.1:8787", "http://127.0.0.1:8787");
    expect(local.status).toBe(303);
    expect(local.headers.get("set-cookie")).not.toMatch(/Secure/i);
  });

  it("a wrong token gets the form again with 401 and no cookie", async () => {
    const res = await login("not-the-token");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("not valid");
  });

  it("a form larger than any sign-in is refused unread, right token or not, and counts as a failed attempt", async () => {
    const ip = `2001:db8:${crypto.randomUUID().slice(0, 4)}::1`;
    const res = await hub.request(
      `${ORIGIN}/ops/login`,
      {
        method: "POST",
        headers: { origin: ORIGIN, "cf-connecting-ip": ip, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: env.OPS_TOKEN, pad: "x".repeat(64 * 1024) }),
      },
      env,
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    const client = await clientOf(new Request(ORIGIN, { headers: { "cf-connecting-ip": ip } }));
    expect((await failureWindow(env.DB, client))?.count).toBe(1);
  });

  it("refuses a login or any form posted from another origin (CSRF)", async () => {
    expect((await login(env.OPS_TOKEN, "https://evil.example")).status).toBe(403);
    const cookie = (await login()).headers.get("set-cookie")?.split(";")[0] ?? "";
    for (const form of pages.filter((p) => p.method === "POST")) {
      const res = await hub.request(
        `${ORIGIN}/ops${form.path}`,
        { method: "POST", headers: { cookie, origin: "https://evil.example" } },
        env,
      );
      expect(res.status, form.path).toBe(403);
    }
    const noOrigin = await hub.request(
      `${ORIGIN}/ops/dead-letters/x-1/replay`,
      { method: "POST", headers: { cookie, "sec-fetch-site": "cross-site" } },
      env,
    );
    expect(noOrigin.status).toBe(403);
  });

  it.each(["//evil.example/ops", "/ops/../connect/dotloop", "/ops/%2E%2E/connect/dotloop", "/opsx", "/ops\\..\\connect"])(
    "never redirects off the dashboard after login (next=%s)",
    async (next) => {
      const res = await hub.request(
        `${ORIGIN}/ops/login`,
        {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ token: env.OPS_TOKEN, next }),
        },
        env,
      );
      expect(res.headers.get("location")).toBe("/ops");
    },
  );

  it("returns to the dashboard page the visitor was sent from", async () => {
    const res = await hub.request(
      `${ORIGIN}/ops/login`,
      {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: env.OPS_TOKEN, next: "/ops/dead-letters?status=open" }),
      },
      env,
    );
    expect(res.headers.get("location")).toBe("/ops/dead-letters?status=open");
  });

  it("logging out clears the cookie", async () => {
    const res = await hub.request(`${ORIGIN}/ops/logout`, { method: "POST", headers: { origin: ORIGIN } }, env);
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/ops_session=;.*Max-Age=0/i);
  });
});

describe("credentials", () => {
  it("token comparison accepts only the exact token, never an empty configuration", async () => {
    expect(await tokenMatches("abc", "abc")).toBe(true);
    expect(await tokenMatches("abd", "abc")).toBe(false);
    expect(await tokenMatches("abc ", "abc")).toBe(false);
    expect(await tokenMatches("", "")).toBe(false);
    expect(await tokenMatches("x", undefined)).toBe(false);
  });

  it("the token's label names it without revealing it, and changes when it rotates", async () => {
    const label = await tokenLabel(env.OPS_TOKEN);
    expect(label).toMatch(/^token:[0-9a-f]{8}$/);
    expect(label).not.toContain(env.OPS_TOKEN.slice(0, 8));
    expect(await tokenLabel(`${env.OPS_TOKEN}x`)).not.toBe(label);
  });

  it("a token is strong only with 32 random bytes and no dev- prefix", () => {
    expect(tokenWeakness("dev-ops-token")).toBe("dev_value");
    expect(tokenWeakness(`dev-${"k".repeat(60)}`)).toBe("dev_value");
    expect(tokenWeakness("correct-horse-battery")).toBe("too_short");
    expect(tokenWeakness("a".repeat(80))).toBe("too_short");
    expect(tokenWeakness("0123456789abcdef".repeat(3))).toBe("too_short"); // 48 hex = 24 bytes
    expect(tokenWeakness("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0")).toBeNull(); // 64 hex
    expect(tokenWeakness("q3F9xV2mK8pL0aZ7wR4tY6uI1oP5sD3fG9hJ2kL4mN8")).toBeNull(); // 43 base64url
    expect(tokenWeakness(env.OPS_TOKEN)).toBeNull();
  });

  it("the API ignores an Access JWT unless OPS_ACCESS_AUD and its certs URL are configured", async () => {
    const res = await api("/overview", {
      token: null,
      headers: { "cf-access-jwt-assertion": "a.b.c" },
      envOverride: { OPS_ACCESS_AUD: "aud-1" } as Partial<Env>,
    });
    expect(res.status).toBe(401);
  });
});
