/**
 * The simulated LionDesk (a second CRM, minimal): OAuth 2.0 as LionDesk documents it (the
 * authorization-code grant at `GET /liondesk/oauth2/authorize`, then `POST /liondesk/oauth2/token`
 * with `authorization_code` or `refresh_token`; no client-credentials grant), then Bearer calls to `/me`, `/contacts` (create,
 * search by email, get, PATCH), `/contact-sources`, `/leads` and `/contacts/:id/notes`. Lists
 * use the Feathers shape `{total, limit, skip, data}`; errors are Feathers errors.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { VendorDef, VendorEnv } from "../core/context";
import { pkceProven, pkceRequest, safeEqual } from "../lib/crypto";
import { asObject, basicAuth, bearer, json, readJson, readParams, str } from "../lib/http";
import { contactRoutes } from "./contacts";
import { featherError } from "./errors";
import { breaks } from "../state/settings";

interface Token {
  access: string;
  refresh: string;
  expiresAt: number;
}

interface Code {
  code: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
  codeChallenge: string | null;
}

const guard = createMiddleware<VendorEnv>(async (c, next) => {
  const vs = c.env.vs;
  const token = bearer(c.req.header("authorization") ?? null);
  const t = token === null ? undefined : vs.store.get<Token>("token", token);
  if (t === undefined || t.expiresAt <= vs.now()) return featherError(401, "Invalid or expired access token");
  const lim = vs.settings.rateLimit;
  if (lim !== null && !vs.limiter.hit("liondesk:api", lim.limit, lim.windowSeconds * 1000, vs.now()).allowed) {
    return featherError(429, "Too many requests", { "Retry-After": String(lim.windowSeconds) });
  }
  await next();
});

const app = new Hono<VendorEnv>();

app.get("/liondesk/oauth2/authorize", (c) => {
  const vs = c.env.vs;
  const q = new URL(c.req.url).searchParams;
  const redirect = q.get("redirect_uri");
  if (q.get("client_id") !== vs.env.LIONDESK_CLIENT_ID) return json({ error: "invalid_client" }, 400);
  if (redirect === null || !/^https?:\/\//.test(redirect) || q.get("response_type") !== "code")
    return json({ error: "invalid_request" }, 400);
  const target = new URL(redirect);
  const pkce = pkceRequest(q);
  if ("error" in pkce) {
    target.searchParams.set("error", "invalid_request");
  } else if (vs.settings.denyOAuth) {
    target.searchParams.set("error", "access_denied");
  } else {
    const code = vs.rng.hex(32);
    vs.store.put<Code>("code", code, {
      code,
      redirectUri: redirect,
      expiresAt: vs.now() + 5 * 60_000,
      used: false,
      codeChallenge: pkce.challenge,
    });
    target.searchParams.set("code", code);
  }
  const state = q.get("state");
  if (state !== null) target.searchParams.set("state", state);
  return c.redirect(target.toString(), 302);
});

app.post("/liondesk/oauth2/token", async (c) => {
  const vs = c.env.vs;
  const p = await readParams(c.req.raw);
  const basic = basicAuth(c.req.header("authorization") ?? null);
  const clientId = p["client_id"] ?? basic?.user;
  const secret = p["client_secret"] ?? basic?.password ?? "";
  if (clientId !== vs.env.LIONDESK_CLIENT_ID || !safeEqual(secret, vs.env.LIONDESK_CLIENT_SECRET) || breaks(vs.settings, "credentials")) {
    return json({ error: "invalid_client", error_description: "Client authentication failed" }, 401);
  }
  if (p["grant_type"] === "refresh_token") {
    const old = vs.store.all<Token>("token").find((t) => t.refresh === p["refresh_token"]);
    if (!old) return json({ error: "invalid_grant", error_description: "Invalid refresh token" }, 400);
    vs.store.remove("token", old.access);
  } else if (p["grant_type"] === "authorization_code") {
    const code = p["code"] === undefined ? undefined : vs.store.get<Code>("code", p["code"]);
    if (code === undefined || code.used || code.expiresAt <= vs.now() || p["redirect_uri"] !== code.redirectUri) {
      return json({ error: "invalid_grant", error_description: "Invalid authorization code" }, 400);
    }
    if (!(await pkceProven(code.codeChallenge, p["code_verifier"]))) return json({ error: "invalid_grant" }, 400);
    vs.store.put<Code>("code", code.code, { ...code, used: true });
  } else {
    // The docs describe authorization code and implicit grants with refresh, nothing else.
    return json({ error: "unsupported_grant_type", error_description: "Use the authorization code grant" }, 400);
  }
  const lifetime = vs.settings.tokenLifetimeSeconds ?? 3600;
  const t: Token = { access: vs.rng.hex(40), refresh: vs.rng.hex(40), expiresAt: vs.now() + lifetime * 1000 };
  vs.store.put<Token>("token", t.access, t);
  return json({
    access_token: t.access,
    refresh_token: t.refresh,
    expires: new Date(t.expiresAt).toISOString(),
    expires_in: lifetime,
    scope: "write",
    token_type: "Bearer",
  });
});

app.use("/liondesk/me", guard);
app.use("/liondesk/contacts/*", guard);
app.use("/liondesk/contacts", guard);
app.use("/liondesk/contact-sources", guard);
app.use("/liondesk/leads", guard);

app.get("/liondesk/me", () =>
  json({ id: 7001, first_name: "Alex", last_name: "Kim", email: "alex@example-brokerage.test", timezone: "America/Chicago" }),
);

app.get("/liondesk/contact-sources", (c) => {
  const list = c.env.vs.store.all<unknown>("source");
  return json({ total: list.length, limit: list.length, skip: 0, data: list });
});

app.post("/liondesk/contact-sources", async (c) => {
  const vs = c.env.vs;
  const read = await readJson(c.req.raw);
  const name = str(asObject(read.ok ? read.value : null)?.["name"]);
  if (name === undefined) return featherError(400, "name is required");
  const id = vs.store.seq("source", 10);
  const source = { id, name };
  vs.store.put("source", id, source);
  return json(source, 201);
});

app.route("/", contactRoutes);
app.notFound(() => featherError(404, "Page not found"));
app.onError(() => featherError(500, "Internal error"));

export const lionDesk: VendorDef = {
  name: "liondesk",
  app,
  contextOf: () => "api",
  errorBody: (status, message) => ({ body: { name: status === 429 ? "TooManyRequests" : "GeneralError", message, code: status } }),
  seed: (vs) => {
    for (const [i, name] of ["Zillow", "Realtor.com", "Website", "Referral"].entries()) vs.store.put("source", i + 1, { id: i + 1, name });
    vs.store.setMeta("seq:source", 4);
  },
};
