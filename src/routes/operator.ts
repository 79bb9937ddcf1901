import type { Context } from "hono";
import { problem, problemResponse, type ErrorCode } from "../lib/errors";
import { log } from "../lib/log";
import { accessIssuer, accessKeys, keyIdOf, verifyAccessJwt } from "../ops/access-jwt";
import { tokenLabel, tokenMatches, tokenWeakness } from "../ops/credentials";
import { clientOf, noteFailure, retryAfterSeconds } from "../ops/rate-limit";
import { type App, requestId } from "./app";

/**
 * Who an operator is, for /ops and /connect. With Cloudflare Access configured, Access is the
 * identity: every request must carry a valid Access JWT (one without came around Access, e.g. over
 * workers.dev) and its email is the actor. Otherwise the ops token is, and its label is the actor.
 */

/** A request to this very machine: the URL's host is a loopback name or address. */
export function onLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

function optionalVar(env: Env, name: string): string | undefined {
  const v = (env as unknown as Record<string, unknown>)[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export interface AccessConfig {
  aud: string;
  certsUrl: string;
  issuer: string | null;
}

/** Access settings when the hub is behind Access (OPS_ACCESS_AUD and OPS_ACCESS_CERTS_URL set). */
export function accessConfig(env: Env): AccessConfig | null {
  const aud = optionalVar(env, "OPS_ACCESS_AUD");
  const certsUrl = optionalVar(env, "OPS_ACCESS_CERTS_URL");
  if (!aud || !certsUrl) return null;
  return { aud, certsUrl, issuer: accessIssuer(certsUrl, optionalVar(env, "OPS_ACCESS_TEAM_DOMAIN")) };
}

/** The Access identity of a request, or why there is none. */
export async function accessActor(
  req: Request,
  cfg: AccessConfig,
): Promise<{ ok: true; actor: string } | { ok: false; code: ErrorCode; reason: string }> {
  const jwt = req.headers.get("cf-access-jwt-assertion");
  if (!jwt) return { ok: false, code: "access_required", reason: "missing" };
  if (!cfg.issuer) return { ok: false, code: "unauthorized", reason: "issuer_unknown" };
  const keys = await accessKeys(cfg.certsUrl, { kid: keyIdOf(jwt) }).catch(() => []);
  const r = await verifyAccessJwt(jwt, { aud: cfg.aud, issuer: cfg.issuer, keys, nowSeconds: Math.floor(Date.now() / 1000) });
  return r.ok ? { ok: true, actor: r.subject } : { ok: false, code: "unauthorized", reason: r.reason };
}

/**
 * Refuses to serve an operator surface from a public host while OPS_TOKEN is a development value
 * or too short to resist guessing: 503 with code `ops_token_weak`, logged. On loopback (npm start,
 * the bench) the development token is fine. Cloudflare routes by Host, so a production request
 * cannot name a loopback host.
 */
export function weakTokenRefusal<E extends App>(c: Context<E>): Response | null {
  const token = c.env.OPS_TOKEN;
  if (!token || onLoopback(c.req.url)) return null;
  const weakness = tokenWeakness(token);
  if (!weakness) return null;
  const why = weakness === "dev_value" ? "OPS_TOKEN is a development value (dev-…)" : "OPS_TOKEN is shorter than 32 random bytes";
  log("error", "ops_refused_weak_token", { requestId: requestId(c), reason: weakness });
  c.set("code", "ops_token_weak");
  return problemResponse(
    problem("ops_token_weak", `${why}; set a strong one (openssl rand -base64 32) with wrangler secret put OPS_TOKEN.`, requestId(c)),
  );
}

/** A 401/429 problem for an operator request, with the challenge or the wait it needs. */
export function refusal<E extends App>(c: Context<E>, code: ErrorCode, detail: string, headers: Record<string, string> = {}): Response {
  c.set("code", code);
  const res = problemResponse(problem(code, detail, requestId(c)));
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

/** A request from a client over its failure limit: 429 with Retry-After, or null. */
export async function limited<E extends App>(c: Context<E>, client: string): Promise<Response | null> {
  const wait = await retryAfterSeconds(c.env.DB, client, Date.now());
  if (wait <= 0) return null;
  log("warn", "ops_rate_limited", { requestId: requestId(c), retryAfter: wait });
  return refusal(c, "rate_limited", `Too many failed sign-ins from this client; try again in ${wait} s.`, { "retry-after": String(wait) });
}

export type Operator = { ok: true; actor: string } | { ok: false; response: Response };

/**
 * The operator behind a request to the API or /connect: its Access identity when Access is
 * configured, else the bearer token (or, with `basic`, the Basic password a browser prompts for).
 * Wrong credentials count against the client's limit, none at all do not (any page can make an
 * operator's browser call the hub bare); a limited client is refused before any check.
 */
export async function operatorOf<E extends App>(c: Context<E>, opts: { basic: boolean; challenge: string }): Promise<Operator> {
  const client = await clientOf(c.req.raw);
  const stop = await limited(c, client);
  if (stop) return { ok: false, response: stop };
  const access = accessConfig(c.env);
  if (access) {
    const who = await accessActor(c.req.raw, access);
    if (who.ok) return who;
    if (who.code !== "access_required") await noteFailure(c.env.DB, client, Date.now());
    const detail =
      who.code === "access_required"
        ? "This hub is behind Cloudflare Access; sign in through Access."
        : "The Cloudflare Access token is not valid for this hub.";
    return { ok: false, response: refusal(c, who.code, detail) };
  }
  const header = c.req.header("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  const basic = opts.basic ? /^Basic\s+(\S+)$/i.exec(header)?.[1] : undefined;
  let decoded: string | undefined;
  try {
    decoded = basic ? atob(basic) : undefined;
  } catch {
    decoded = undefined;
  }
  const given = bearer ?? (decoded?.includes(":") ? decoded.slice(decoded.indexOf(":") + 1) : undefined);
  const token = c.env.OPS_TOKEN;
  if (given && token && (await tokenMatches(given, token))) return { ok: true, actor: await tokenLabel(token) };
  if (given) await noteFailure(c.env.DB, client, Date.now());
  return {
    ok: false,
    response: refusal(c, "unauthorized", "Send Authorization: Bearer <OPS_TOKEN>.", { "www-authenticate": opts.challenge }),
  };
}
