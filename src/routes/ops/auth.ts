import { readCookie } from "../cookies";
import { createMiddleware } from "hono/factory";
import { problem, problemResponse } from "../../lib/errors";
import { tokenLabel } from "../../ops/credentials";
import { checkSession } from "../../ops/sessions";
import { type App, fromAnotherSite, requestId } from "../app";
import { accessActor, accessConfig, operatorOf, refusal, weakTokenRefusal } from "../operator";

/** The ops sub-apps' environment: the hub's, plus who is acting (for audit fields and traces). */
export interface OpsEnv {
  Bindings: Env;
  Variables: App["Variables"] & { actor: string };
}

/** Where the ops sub-app is mounted; dashboard links and redirects are absolute. */
export const OPS_BASE = "/ops";
/** The dashboard's session cookie (HttpOnly, SameSite=Strict, Path=/ops; Secure off loopback). */
export const SESSION_COOKIE = "ops_session";

/** Every /ops request: nothing is served from a public host while OPS_TOKEN is weak. */
export const refuseWeakToken = createMiddleware<OpsEnv>(async function refuseWeakToken(c, next) {
  const refused = weakTokenRefusal(c);
  if (refused) return refused;
  await next();
});

/**
 * Every /ops/api route: Access (when configured) or the bearer token, else 401/429 with a problem
 * document. Behind Access a browser may send the operator's cookie (and so the identity the edge
 * derives from it) with a request another site makes; a browser also says where that request
 * came from, so a change asked by another site is refused. Clients that are not browsers say nothing.
 */
export const requireApiAuth = createMiddleware<OpsEnv>(async function requireApiAuth(c, next) {
  const origin = c.req.header("origin");
  if (c.req.method !== "GET" && (fromAnotherSite(c.req.raw) || (origin && origin !== new URL(c.req.url).origin)))
    return refusal(c, "forbidden", "Changes asked by another site are refused.");
  const who = await operatorOf(c, { basic: false, challenge: 'Bearer realm="dealwire-ops"' });
  if (!who.ok) return who.response;
  c.set("actor", who.actor);
  await next();
});

/**
 * Every dashboard page and form. Behind Access: a valid Access JWT, whose email is the actor.
 * Otherwise a live server-side session; no cookie goes to the login page, a cookie naming an
 * expired, revoked or unknown session gets a 401 problem (and the cookie is cleared).
 */
export const requireSession = createMiddleware<OpsEnv>(async function requireSession(c, next) {
  const access = accessConfig(c.env);
  if (access) {
    const who = await accessActor(c.req.raw, access);
    if (!who.ok) return refusal(c, who.code, "Sign in through Cloudflare Access.");
    c.set("actor", who.actor);
    return next();
  }
  const cookie = readCookie(c, SESSION_COOKIE);
  if (!cookie) {
    const url = new URL(c.req.url);
    const back = c.req.method === "GET" ? `?next=${encodeURIComponent(url.pathname + url.search)}` : "";
    return c.redirect(`${OPS_BASE}/login${back}`, 303);
  }
  const current = c.env.OPS_TOKEN ? await tokenLabel(c.env.OPS_TOKEN) : null;
  const session = await checkSession(c.env.DB, cookie, current, Date.now());
  if (!session.ok) {
    const detail = {
      unauthorized: "No such session.",
      session_expired: "The session has expired.",
      session_revoked: "The session was signed out or the ops token changed.",
    }[session.code];
    return refusal(c, session.code, `${detail} Sign in again at ${OPS_BASE}/login.`, {
      "set-cookie": `${SESSION_COOKIE}=; Max-Age=0; Path=${OPS_BASE}; HttpOnly; SameSite=Strict`,
    });
  }
  c.set("actor", session.actor);
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
    return problemResponse(problem("forbidden", "Cross-origin form posts are refused.", requestId(c)));
  }
  await next();
});
