import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import { problem, problemResponse } from "../../lib/errors";
import { accessKeys, verifyAccessJwt } from "../../ops/access-jwt";
import { sessionValid, tokenMatches } from "../../ops/credentials";
import type { App } from "../app";

/** The ops sub-apps' environment: the hub's, plus who is acting (for audit fields and traces). */
export interface OpsEnv {
  Bindings: Env;
  Variables: App["Variables"] & { actor: string };
}

/** Where the ops sub-app is mounted; dashboard links and redirects are absolute. */
export const OPS_BASE = "/ops";
/** The dashboard's session cookie (HttpOnly, SameSite=Strict, Path=/ops). */
export const SESSION_COOKIE = "ops_session";

function optionalVar(env: Env, name: string): string | undefined {
  const v = (env as unknown as Record<string, unknown>)[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/**
 * A Cloudflare Access identity, when the hub is configured for it (OPS_ACCESS_AUD and
 * OPS_ACCESS_CERTS_URL both set) and the request carries an Access JWT whose signature, audience
 * and expiry verify. Without both vars the header is ignored.
 */
async function accessIdentity(c: Context<OpsEnv>): Promise<string | null> {
  const aud = optionalVar(c.env, "OPS_ACCESS_AUD");
  const certs = optionalVar(c.env, "OPS_ACCESS_CERTS_URL");
  const jwt = c.req.header("cf-access-jwt-assertion");
  if (!aud || !certs || !jwt) return null;
  const keys = await accessKeys(certs).catch(() => []);
  const r = await verifyAccessJwt(jwt, { aud, keys, nowSeconds: Math.floor(Date.now() / 1000) });
  return r.ok ? `access:${r.subject}` : null;
}

/** Who presented valid API credentials: the bearer token (constant-time) or an Access JWT. */
async function apiActor(c: Context<OpsEnv>): Promise<string | null> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
  if (m?.[1] && (await tokenMatches(m[1], c.env.OPS_TOKEN))) return "ops-token";
  return accessIdentity(c);
}

/** Every /ops/api route: a valid bearer token or Access JWT, else 401 with a problem document. */
export const requireApiAuth = createMiddleware<OpsEnv>(async function requireApiAuth(c, next) {
  const actor = await apiActor(c);
  if (!actor) {
    c.set("code", "unauthorized");
    const res = problemResponse(problem("unauthorized", "Send Authorization: Bearer <OPS_TOKEN>.", c.get("requestId")));
    res.headers.set("www-authenticate", 'Bearer realm="dealwire-ops"');
    return res;
  }
  c.set("actor", actor);
  await next();
});

/** Every dashboard page and form: a valid session cookie or Access JWT, else to the login page. */
export const requireSession = createMiddleware<OpsEnv>(async function requireSession(c, next) {
  const valid = await sessionValid(getCookie(c, SESSION_COOKIE), c.env.OPS_TOKEN, Date.now());
  const actor = valid ? "dashboard" : await accessIdentity(c);
  if (!actor) {
    const url = new URL(c.req.url);
    const back = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
    return c.redirect(`${OPS_BASE}/login${back}`, 303);
  }
  c.set("actor", actor);
  await next();
});

/**
 * CSRF guard for dashboard forms: besides the SameSite=Strict cookie, a state-changing request
 * must come from this origin (Origin header, or Sec-Fetch-Site when a browser omits Origin).
 */
export const sameOrigin = createMiddleware<OpsEnv>(async function sameOrigin(c, next) {
  const origin = c.req.header("origin");
  const ours = new URL(c.req.url).origin;
  const allowed = origin ? origin === ours : c.req.header("sec-fetch-site") === "same-origin";
  if (!allowed) {
    c.set("code", "forbidden");
    return problemResponse(problem("forbidden", "Cross-origin form posts are refused.", c.get("requestId")));
  }
  await next();
});
