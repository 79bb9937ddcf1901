import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/routes/app";
import { connect } from "../../src/routes/connect";
import { proposeStatement } from "../../src/store/merges";
import { sandbox } from "../helpers/sandbox";
import { hub, ORIGIN, phone, tag } from "./helpers";
import { crmLead, deadLetter } from "./letters";

/**
 * Cloudflare Access in front of /ops and /connect, with a simulated Access team in the sandbox:
 * the hub fetches the team's keys from https://<team>.cloudflareaccess.com as in production, and
 * the sandbox signs the JWTs Access would send. Each test has a team of its own (own keys, own
 * cache entry in the hub).
 */

interface Team {
  name: string;
  env: Env;
  token(claims?: Record<string, unknown>): Promise<string>;
  fetches(): Promise<number>;
}

function team(): Team {
  const name = `team-${tag()}`;
  const aud = `aud-${tag()}`;
  const e = { ...env, OPS_ACCESS_AUD: aud, OPS_ACCESS_CERTS_URL: `https://${name}.cloudflareaccess.com/cdn-cgi/access/certs` } as Env;
  return {
    name,
    env: e,
    async token(claims = {}) {
      const r = await sandbox<{ token: string }>(`/_sandbox/access/${name}/token`, {
        method: "POST",
        body: JSON.stringify({ aud, email: "ops.lead@brokerage.example", ...claims }),
      });
      return r.token;
    },
    async fetches() {
      return (await sandbox<{ certsFetches: number }>(`/_sandbox/access/${name}/counters`)).certsFetches;
    },
  };
}

function opsCall(t: Team, path: string, jwt: string | null, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (jwt) headers.set("cf-access-jwt-assertion", jwt);
  headers.set("cf-connecting-ip", `2001:db8:${tag().slice(0, 4)}::1`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  return Promise.resolve(hub.request(`${ORIGIN}/ops${path}`, { ...init, headers }, t.env));
}

/** /connect mounted as index.ts mounts it, so the test can give it Access settings. */
const connectApp = createApp();
connectApp.route("/connect", connect);

describe("Cloudflare Access as the production identity", () => {
  it("every replay, discard, merge decision and connect an Access user makes records their email", async () => {
    const t = team();
    const jwt = await t.token();
    const email = "ops.lead@brokerage.example";
    const lead = () => ({ email: `acc${tag()}@example.com`, name: `Ann Access${tag()}`, phone: phone() });

    const replayed = await deadLetter(crmLead(lead()), { queue: "crm", code: "validation_failed", vendor: "followupboss" });
    expect((await opsCall(t, `/api/dead-letters/${replayed}/replay`, jwt, { method: "POST" })).status).toBe(200);
    const discarded = await deadLetter(crmLead(lead()), { queue: "crm", code: "validation_failed", vendor: "followupboss" });
    expect(
      (await opsCall(t, `/api/dead-letters/${discarded}/discard`, jwt, { method: "POST", body: JSON.stringify({ reason: "test record" }) }))
        .status,
    ).toBe(200);
    const letters = await env.DB.prepare(`SELECT id, reason FROM dead_letters WHERE id IN (?1, ?2)`)
      .bind(replayed, discarded)
      .all<{ id: string; reason: string }>();
    expect(letters.results.find((l) => l.id === replayed)?.reason).toBe(`replayed by ${email}`);
    const discardTrace = await env.DB.prepare(`SELECT detail FROM traces WHERE subject = ?1 AND stage = 'DLQ_DISCARDED'`)
      .bind(discarded)
      .first<{ detail: string }>();
    expect(discardTrace?.detail).toBe(`${email}: test record`);

    await proposeStatement(env.DB, { a: `per_a${tag()}`, b: `per_b${tag()}`, score: 0.91, reasons: ["name:jw=0.95"] }, Date.now()).run();
    const proposal = await env.DB.prepare(
      `SELECT id FROM merge_proposals WHERE status = 'proposed' ORDER BY created_at DESC LIMIT 1`,
    ).first<{ id: string }>();
    expect((await opsCall(t, `/api/merges/${proposal?.id}/reject`, jwt, { method: "POST" })).status).toBe(200);
    const decided = await env.DB.prepare(`SELECT decided_by FROM merge_proposals WHERE id = ?1`)
      .bind(proposal?.id)
      .first<{ decided_by: string }>();
    expect(decided?.decided_by).toBe(email);

    const connection = `dotloop:agent-a${tag()}`;
    const start = await connectApp.request(
      `${ORIGIN}/connect/dotloop?connection=${connection}`,
      { headers: { "cf-access-jwt-assertion": jwt } },
      t.env,
    );
    expect(start.status).toBe(302);
    const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const consent = await fetch(start.headers.get("location") ?? "", { redirect: "manual" });
    const back = new URL(consent.headers.get("location") ?? "");
    const done = await connectApp.request(
      `${ORIGIN}${back.pathname}${back.search}`,
      { headers: { cookie, "cf-access-jwt-assertion": jwt } },
      t.env,
    );
    expect(done.status).toBe(200);
    const traces = await env.DB.prepare(`SELECT stage, detail FROM traces WHERE subject = ?1 ORDER BY id`)
      .bind(connection)
      .all<{ stage: string; detail: string }>();
    expect(traces.results).toEqual([
      { stage: "CONNECT_STARTED", detail: `dotloop by ${email}` },
      { stage: "CONNECTED", detail: `dotloop by ${email}` },
    ]);
  });

  it("the dashboard opens for an Access user without any sign-in, and refuses a request that came around Access", async () => {
    const t = team();
    const page = await opsCall(t, "/dead-letters", await t.token());
    expect(page.status).toBe(200);
    const around = await opsCall(t, "/dead-letters", null);
    expect(around.status).toBe(401);
    expect(await around.json()).toMatchObject({ code: "access_required" });
  });

  it("with Access configured the ops token alone is refused (a request over workers.dev bypassed Access)", async () => {
    const t = team();
    const api = await opsCall(t, "/api/overview", null, { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ code: "access_required" });
    const start = await connectApp.request(`${ORIGIN}/connect/dotloop`, { headers: { authorization: `Bearer ${env.OPS_TOKEN}` } }, t.env);
    expect(start.status).toBe(401);
    expect(await start.json()).toMatchObject({ code: "access_required" });
  });

  it("requests that came around Access with no token are refused without counting against the client; wrong tokens count", async () => {
    const t = team();
    const ip = `2001:db8:${tag().slice(0, 4)}::1`;
    const call = (jwt: string | null) =>
      hub.request(
        `${ORIGIN}/ops/api/overview`,
        { headers: { "cf-connecting-ip": ip, ...(jwt ? { "cf-access-jwt-assertion": jwt } : {}) } },
        t.env,
      );
    for (let i = 0; i < 12; i++) expect((await call(null)).status).toBe(401);
    expect((await call(await t.token())).status).toBe(200);
    const wrong = await t.token({ aud: "someone-elses-app" });
    for (let i = 0; i < 10; i++) expect((await call(wrong)).status).toBe(401);
    expect((await call(await t.token())).status).toBe(429);
  });

  it("refuses a token naming another issuer, another audience or an expired one", async () => {
    const t = team();
    for (const claims of [{ iss: "https://other-team.cloudflareaccess.com" }, { aud: "someone-elses-app" }, { expSeconds: -60 }]) {
      const res = await opsCall(t, "/api/overview", await t.token(claims));
      expect(res.status, JSON.stringify(claims)).toBe(401);
      expect(await res.json()).toMatchObject({ code: "unauthorized" });
    }
    expect((await opsCall(t, "/api/overview", await t.token())).status).toBe(200);
  });

  it("after Access rotates its signing key, a token signed with the new key is accepted at once", async () => {
    const t = team();
    expect((await opsCall(t, "/api/overview", await t.token())).status).toBe(200);
    await sandbox(`/_sandbox/access/${t.name}/rotate`, { method: "POST" });
    const res = await opsCall(t, "/api/overview", await t.token());
    expect(res.status).toBe(200);
    expect(await t.fetches()).toBe(2);
  });

  it("a flood of tokens naming unknown keys refetches the keys once, not once per token", async () => {
    const t = team();
    expect((await opsCall(t, "/api/overview", await t.token())).status).toBe(200);
    for (let i = 0; i < 12; i++) {
      const res = await opsCall(t, "/api/overview", await t.token({ kid: `made-up-${i}` }));
      expect(res.status).toBe(401);
    }
    expect(await t.fetches()).toBe(2);
  });

  it("while the certs URL fails, the hub does not ask it again on every request", async () => {
    const t = team();
    await sandbox(`/_sandbox/access/${t.name}/settings`, { method: "PUT", body: JSON.stringify({ certsStatus: 503 }) });
    for (let i = 0; i < 8; i++) expect((await opsCall(t, "/api/overview", await t.token())).status).toBe(401);
    expect(await t.fetches()).toBe(1);
  });
});
