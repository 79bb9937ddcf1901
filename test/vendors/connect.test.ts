import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { opsAuth, storedCredential, uid } from "./support";

/** Through the Worker's own entry, as an operator's browser reaches it. */
const hubFetch = (path: string, init?: RequestInit) => exports.default.fetch(`http://hub.test${path}`, { redirect: "manual", ...init });

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /connect/:vendor", () => {
  it("refuses to start without the ops token, and a browser gets a Basic prompt", async () => {
    const none = await hubFetch("/connect/dotloop");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(none.headers.get("content-type")).toMatch(/problem\+json/);
    expect(await none.json()).toMatchObject({ code: "unauthorized" });
    const wrong = await hubFetch("/connect/dotloop", { headers: { authorization: "Bearer not-the-token" } });
    expect(wrong.status).toBe(401);
    const basic = await hubFetch("/connect/dotloop", { headers: { authorization: `Basic ${btoa(`ops:${env.OPS_TOKEN}`)}` } });
    expect(basic.status).toBe(302);
  });

  it("a link on another site cannot start it with the operator's credentials: 403, no cookie, no redirect to the vendor", async () => {
    const basic = { authorization: `Basic ${btoa(`ops:${env.OPS_TOKEN}`)}` };
    for (const site of ["cross-site", "same-site"]) {
      const res = await hubFetch("/connect/dotloop", { headers: { ...basic, "sec-fetch-site": site } });
      expect(res.status, site).toBe(403);
      expect(await res.json()).toMatchObject({ code: "forbidden" });
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    // Typed in the address bar, or followed from the hub's own pages.
    for (const site of ["none", "same-origin"])
      expect((await hubFetch("/connect/dotloop", { headers: { ...basic, "sec-fetch-site": site } })).status, site).toBe(302);
  });

  it("a state older than ten minutes is refused, even with the right cookie", async () => {
    const id = `dotloop:agent-t${uid()}`;
    const start = await hubFetch(`/connect/dotloop?connection=${id}`, { headers: opsAuth() });
    expect(start.status).toBe(302);
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const consent = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    const back = new URL(consent.headers.get("location") ?? "");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 11 * 60_000 });
    const late = await hubFetch(`${back.pathname}${back.search}`, { headers: { cookie } });
    expect(late.status).toBe(401);
    expect(await late.json()).toMatchObject({ code: "unauthorized" });
    vi.useRealTimers();
    expect(await storedCredential(id)).toBeNull();
  });

  it("whoever sees the state (in the vendor's URLs, a history, a log) cannot finish the flow with their own code", async () => {
    const id = `dotloop:agent-s${uid()}`;
    const start = await hubFetch(`/connect/dotloop?connection=${id}`, { headers: opsAuth() });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    // Everything the state carries is readable; each value in it, offered as the browser's cookie.
    const payload = JSON.parse(atob((state.split(".")[0] ?? "").replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    const values = Object.values(payload).filter((v): v is string => typeof v === "string");
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      const res = await hubFetch(`/connect/dotloop/callback?code=the-strangers-code&state=${encodeURIComponent(state)}`, {
        headers: { cookie: `dw_connect=${value}` },
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: "unauthorized" });
    }
    expect(await storedCredential(id)).toBeNull();
  });
});
