import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hub, ORIGIN, phone, tag } from "./helpers";
import { crmLead, deadLetter } from "./letters";
import { runScheduled } from "../../src/cron";

/** Operator identity without Access: server-side sessions, per-client limits, the weak-token refusal, actors. */

/** A client of its own: an IPv6 /64 no other test uses. */
const client = () => `2001:db8:${tag().slice(0, 4)}::1`;

/** Failed sign-ins or credentials a client may make per 15 minutes (README, "Security"). */
const FAILURE_LIMIT = 10;

async function sha256Hex(s: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The actor recorded for the ops token: its SHA-256's first 8 hex digits, never the token. */
const tokenLabel = async (token: string) => `token:${(await sha256Hex(token)).slice(0, 8)}`;

function login(opts: { token?: string; ip?: string; base?: string; e?: Partial<Env> } = {}): Promise<Response> {
  const base = opts.base ?? ORIGIN;
  return Promise.resolve(
    hub.request(
      `${base}/ops/login`,
      {
        method: "POST",
        headers: { origin: base, "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": opts.ip ?? client() },
        body: new URLSearchParams({ token: opts.token ?? env.OPS_TOKEN }),
      },
      { ...env, ...opts.e },
    ),
  );
}

const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";

function page(cookie: string, path = "/dead-letters", e: Partial<Env> = {}): Promise<Response> {
  return Promise.resolve(hub.request(`${ORIGIN}/ops${path}`, { headers: { cookie } }, { ...env, ...e }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("dashboard sessions live server-side", () => {
  it("the cookie is a random id and the database keeps only its hash", async () => {
    const cookie = cookieOf(await login());
    const id = cookie.replace(/^ops_session=/, "");
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hash = await sha256Hex(id);
    const row = await env.DB.prepare(`SELECT actor, expires_at - created_at AS life, revoked_at FROM ops_sessions WHERE id_hash = ?1`)
      .bind(hash)
      .first();
    expect(row).toEqual({ actor: await tokenLabel(env.OPS_TOKEN), life: 12 * 3600_000, revoked_at: null });
    expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM ops_sessions WHERE id_hash = ?1`).bind(id).first()).toEqual({ n: 0 });
  });

  it("logout revokes the session: the same cookie, replayed afterwards, gets a 401 problem", async () => {
    const cookie = cookieOf(await login());
    expect((await page(cookie)).status).toBe(200);
    const out = await hub.request(`${ORIGIN}/ops/logout`, { method: "POST", headers: { origin: ORIGIN, cookie } }, env);
    expect(out.status).toBe(303);
    const again = await page(cookie);
    expect(again.status).toBe(401);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(await again.json()).toMatchObject({ code: "session_revoked", status: 401 });
    // A form post with the copied cookie changes nothing either.
    const form = await hub.request(`${ORIGIN}/ops/dead-letters/dl_x/replay`, { method: "POST", headers: { origin: ORIGIN, cookie } }, env);
    expect(form.status).toBe(401);
  });

  it("a session expires after 12 hours with a 401 problem", async () => {
    const cookie = cookieOf(await login());
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 12 * 3600_000 + 1000 });
    const res = await page(cookie);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "session_expired" });
  });

  it("rotating OPS_TOKEN ends the sessions signed in with the old one", async () => {
    const cookie = cookieOf(await login());
    const res = await page(cookie, "/dead-letters", { OPS_TOKEN: `${env.OPS_TOKEN}Z` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "session_revoked" });
  });
});

describe("failed credentials are limited per client", () => {
  it(`after ${FAILURE_LIMIT} failed sign-ins a client gets 429 with Retry-After, even with the right token; another client still signs in`, async () => {
    const ip = client();
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await login({ ip, token: `guess-${i}` })).status).toBe(401);
    const limited = await login({ ip });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(await limited.json()).toMatchObject({ code: "rate_limited", status: 429 });
    const wait = Number(limited.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(limited.headers.get("set-cookie")).toBeNull();
    expect((await login({ ip: client() })).status).toBe(303);
  });

  it("the addresses of one IPv6 /64 are one client, however the address is written; the next /64 is another", async () => {
    const net = `2001:db8:${tag().slice(0, 4)}:a`;
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await login({ ip: `${net}::${i + 1}`, token: `guess-${i}` })).status).toBe(401);
    expect((await login({ ip: `${net}:0:0:0:ffff` })).status).toBe(429);
    expect((await login({ ip: `${net.replace(/:a$/, ":00a")}:1:2:3:4` })).status).toBe(429);
    expect((await login({ ip: `${net.replace(/:a$/, ":b")}::1` })).status).toBe(303);
  });

  it("a night's run clears failure windows long closed, whoever never signs in", async () => {
    const ip = client();
    expect((await login({ ip, token: "guess" })).status).toBe(401);
    const count = () =>
      env.DB.prepare(`SELECT COUNT(*) AS n FROM auth_failures WHERE window_start < ?1`)
        .bind(Date.now() + 1)
        .first<{ n: number }>();
    expect((await count())?.n).toBeGreaterThan(0);
    await runScheduled({ cron: "0 7 * * *", scheduledTime: Date.now() + 2 * 86_400_000, noRetry() {} }, env);
    expect((await count())?.n).toBe(0);
  });

  it("bearer failures on /ops/api are limited the same way", async () => {
    const ip = client();
    const call = (token: string) =>
      hub.request(`${ORIGIN}/ops/api/overview`, { headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": ip } }, env);
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await call(`guess-${i}`)).status).toBe(401);
    const res = await call(env.OPS_TOKEN);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("and on /connect", async () => {
    const ip = client();
    const call = (token: string) =>
      exports.default.fetch(`http://hub.test/connect/dotloop`, {
        redirect: "manual",
        headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": ip },
      });
    for (let i = 0; i < FAILURE_LIMIT; i++) expect((await call(`guess-${i}`)).status).toBe(401);
    const res = await call(env.OPS_TOKEN);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ code: "rate_limited" });
  });
  it("requests that present no credential are not counted: pages that make an operator's browser call the hub cannot lock them out", async () => {
    const ip = client();
    const bare = (path: string) =>
      exports.default.fetch(`http://hub.test${path}`, { redirect: "manual", headers: { "cf-connecting-ip": ip } });
    for (let i = 0; i < FAILURE_LIMIT; i++) {
      const api = await bare("/ops/api/overview");
      expect(api.status).toBe(401);
      expect(await api.json()).toMatchObject({ code: "unauthorized" });
      // The first visit to /connect is always this one: the browser asks for the password after the challenge.
      const start = await bare("/connect/dotloop");
      expect(start.status).toBe(401);
      expect(start.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
    const api = await exports.default.fetch("http://hub.test/ops/api/overview", {
      headers: { authorization: `Bearer ${env.OPS_TOKEN}`, "cf-connecting-ip": ip },
    });
    expect(api.status).toBe(200);
    const basic = await exports.default.fetch("http://hub.test/connect/dotloop", {
      redirect: "manual",
      headers: { authorization: `Basic ${btoa(`ops:${env.OPS_TOKEN}`)}`, "cf-connecting-ip": ip },
    });
    expect(basic.status).toBe(302);
  });
});

describe("a weak ops token is refused off loopback", () => {
  const surfaces: Array<[string, string]> = [
    ["the dashboard", "/ops"],
    ["the login form", "/ops/login"],
    ["the API", "/ops/api/overview"],
    ["connecting a vendor", "/connect/dotloop"],
  ];

  for (const [token, reason] of [
    ["dev-ops-token", "dev_value"],
    ["5hort-but-not-dev", "too_short"],
  ] as const) {
    it(`with ${reason === "dev_value" ? "the development token" : "a short token"}, a public host gets 503 ops_token_weak on every operator surface`, async () => {
      for (const [what, path] of surfaces) {
        const res = path.startsWith("/connect")
          ? await connectWith(token, "https://hub.example.com")
          : await hub.request(
              `https://hub.example.com${path}`,
              { headers: { authorization: `Bearer ${token}` } },
              { ...env, OPS_TOKEN: token },
            );
        expect(res.status, what).toBe(503);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        const p = await res.json<{ code: string; detail: string }>();
        expect(p.code).toBe("ops_token_weak");
        expect(p.detail).toContain(reason === "dev_value" ? "development value" : "32 random bytes");
      }
    });
  }

  it("on loopback (npm start, the bench) the development token still works", async () => {
    for (const base of ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787"]) {
      const res = await hub.request(
        `${base}/ops/api/overview`,
        { headers: { authorization: "Bearer dev-ops-token" } },
        { ...env, OPS_TOKEN: "dev-ops-token" },
      );
      expect(res.status, base).toBe(200);
    }
    expect((await connectWith("dev-ops-token", "http://127.0.0.1:8787")).status).toBe(302);
  });

  it("a strong token serves a public host", async () => {
    const res = await hub.request(
      `https://hub.example.com/ops/api/overview`,
      { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } },
      env,
    );
    expect(res.status).toBe(200);
  });
});

/** /connect through an app given its own OPS_TOKEN (the Worker entry's env is fixed). */
async function connectWith(token: string, base: string): Promise<Response> {
  const { createApp } = await import("../../src/routes/app");
  const { connect } = await import("../../src/routes/connect");
  const app = createApp();
  app.route("/connect", connect);
  return app.request(`${base}/connect/dotloop`, { headers: { authorization: `Bearer ${token}` } }, { ...env, OPS_TOKEN: token });
}

describe("without Access, the actor is a stable label of the token, never the token", () => {
  it("a replay and a discard made with the bearer token or a dashboard session record token:<label>", async () => {
    const label = await tokenLabel(env.OPS_TOKEN);
    const lead = () => ({ email: `act${tag()}@example.com`, name: `Al Actor${tag()}`, phone: phone() });
    const viaApi = await deadLetter(crmLead(lead()), { queue: "crm", code: "validation_failed", vendor: "followupboss" });
    const res = await hub.request(
      `${ORIGIN}/ops/api/dead-letters/${viaApi}/discard`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${env.OPS_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ reason: "duplicate" }),
      },
      env,
    );
    expect(res.status).toBe(200);
    const viaDashboard = await deadLetter(crmLead(lead()), { queue: "crm", code: "validation_failed", vendor: "followupboss" });
    const cookie = cookieOf(await login());
    const form = await hub.request(
      `${ORIGIN}/ops/dead-letters/${viaDashboard}/replay`,
      { method: "POST", headers: { origin: ORIGIN, cookie } },
      env,
    );
    expect(form.status).toBe(303);
    const rows = await env.DB.prepare(
      `SELECT subject, detail FROM traces WHERE subject IN (?1, ?2) AND stage IN ('DLQ_DISCARDED', 'DLQ_REPLAYED') ORDER BY id`,
    )
      .bind(viaApi, viaDashboard)
      .all<{ subject: string; detail: string }>();
    expect(rows.results).toEqual([
      { subject: viaApi, detail: `${label}: duplicate` },
      { subject: viaDashboard, detail: `crm by ${label}` },
    ]);
    expect(JSON.stringify(rows.results)).not.toContain(env.OPS_TOKEN);
  });
});
