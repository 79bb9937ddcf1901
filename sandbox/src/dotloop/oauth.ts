/**
 * Dotloop OAuth 2.0 (authorization code): authorize approves at once (302 back with `code` and
 * `state`) unless `denyOAuth` is set; a PKCE S256 challenge, when sent, must be proven by the
 * token request's `code_verifier` (Dotloop publishes nothing on PKCE: the sandbox plays a server
 * that supports it, so the hub's optional PKCE can be tested); the token endpoint takes Basic client auth and its
 * parameters form-encoded or in the query. Refreshing invalidates the previous access token
 * immediately and rotates the refresh token: the answer carries a new one, and the one just used
 * is refused from then on (so a client that loses the answer, or refreshes twice at once, loses
 * the grant); revoke kills a token. Access tokens live 43199 s unless `tokenLifetimeSeconds`.
 */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { pkceProven, pkceRequest, safeEqual } from "../lib/crypto";
import { basicAuth, bearer, json, readParams } from "../lib/http";
import { breaks } from "../state/settings";

interface Code {
  code: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
  /** The PKCE S256 challenge the authorization request carried, if any. */
  codeChallenge?: string | null;
}

export interface AccessToken {
  token: string;
  refreshToken: string;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshToken {
  token: string;
  access: string;
  revoked: boolean;
}

const SCOPE = "account:read, profile:*, loop:*, contact:*, template:read";
const DEFAULT_LIFETIME_S = 43_199;

function oauthError(status: number, error: string, description: string): Response {
  return json({ error, error_description: description }, status);
}

function issue(vs: VendorCtx, refreshToken: string): Response {
  const lifetime = vs.settings.tokenLifetimeSeconds ?? DEFAULT_LIFETIME_S;
  const token = vs.rng.uuid();
  vs.store.put<AccessToken>("accessToken", token, { token, refreshToken, expiresAt: vs.now() + lifetime * 1000, revoked: false });
  vs.store.put<RefreshToken>("refreshToken", refreshToken, { token: refreshToken, access: token, revoked: false });
  return json({ access_token: token, token_type: "Bearer", refresh_token: refreshToken, expires_in: Math.round(lifetime), scope: SCOPE });
}

/** Checks a Bearer token; returns a 401 response when it is missing, expired or invalidated. */
export function requireToken(vs: VendorCtx, req: Request): Response | null {
  const token = bearer(req.headers.get("authorization"));
  const t = token === null ? undefined : vs.store.get<AccessToken>("accessToken", token);
  if (t === undefined || t.revoked || breaks(vs.settings, "credentials")) return oauthError(401, "invalid_token", "Invalid access token");
  if (t.expiresAt <= vs.now()) return oauthError(401, "invalid_token", "Access token expired");
  return null;
}

export const oauthRoutes = new Hono<VendorEnv>();

oauthRoutes.get("/dotloop/oauth/authorize", (c) => {
  const vs = c.env.vs;
  const q = new URL(c.req.url).searchParams;
  const redirect = q.get("redirect_uri");
  if (q.get("client_id") !== vs.env.DOTLOOP_CLIENT_ID) return oauthError(400, "invalid_client", "Unknown client_id");
  if (q.get("response_type") !== "code") return oauthError(400, "unsupported_response_type", "response_type must be code");
  if (redirect === null || !/^https?:\/\//.test(redirect)) return oauthError(400, "invalid_request", "redirect_uri is required");
  const target = new URL(redirect);
  const state = q.get("state");
  const pkce = pkceRequest(q);
  if ("error" in pkce) {
    target.searchParams.set("error", "invalid_request");
    target.searchParams.set("error_description", pkce.error);
  } else if (vs.settings.denyOAuth) {
    target.searchParams.set("error", "access_denied");
  } else {
    const code = vs.rng.hex(24);
    vs.store.put<Code>("code", code, {
      code,
      redirectUri: redirect,
      expiresAt: vs.now() + 10 * 60_000,
      used: false,
      codeChallenge: pkce.challenge,
    });
    target.searchParams.set("code", code);
  }
  if (state !== null) target.searchParams.set("state", state);
  return c.redirect(target.toString(), 302);
});

oauthRoutes.post("/dotloop/oauth/token", async (c) => {
  const vs = c.env.vs;
  const client = basicAuth(c.req.header("authorization") ?? null);
  if (client === null || client.user !== vs.env.DOTLOOP_CLIENT_ID || !safeEqual(client.password, vs.env.DOTLOOP_CLIENT_SECRET)) {
    return oauthError(401, "invalid_client", "Bad client credentials");
  }
  const p = await readParams(c.req.raw);
  if (p["grant_type"] === "authorization_code") {
    const code = p["code"] === undefined ? undefined : vs.store.get<Code>("code", p["code"]);
    if (code === undefined || code.used || code.expiresAt <= vs.now())
      return oauthError(400, "invalid_grant", "Invalid authorization code");
    if (p["redirect_uri"] !== undefined && p["redirect_uri"] !== code.redirectUri) {
      return oauthError(400, "invalid_grant", "Redirect URI mismatch");
    }
    if (!(await pkceProven(code.codeChallenge, p["code_verifier"]))) return oauthError(400, "invalid_grant", "PKCE verification failed");
    vs.store.put<Code>("code", code.code, { ...code, used: true });
    return issue(vs, vs.rng.uuid());
  }
  if (p["grant_type"] === "refresh_token") {
    const r = p["refresh_token"] === undefined ? undefined : vs.store.get<RefreshToken>("refreshToken", p["refresh_token"]);
    if (r === undefined || r.revoked || breaks(vs.settings, "refresh")) return oauthError(400, "invalid_grant", "Invalid refresh token");
    // The previous access token stops working at once.
    const old = vs.store.get<AccessToken>("accessToken", r.access);
    if (old) vs.store.put<AccessToken>("accessToken", old.token, { ...old, revoked: true });
    vs.store.put<RefreshToken>("refreshToken", r.token, { ...r, revoked: true });
    return issue(vs, vs.rng.uuid());
  }
  return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
});

oauthRoutes.post("/dotloop/oauth/token/revoke", async (c) => {
  const vs = c.env.vs;
  const p = await readParams(c.req.raw);
  const t = p["token"] === undefined ? undefined : vs.store.get<AccessToken>("accessToken", p["token"]);
  if (t === undefined) return oauthError(400, "invalid_request", "Unknown token");
  vs.store.put<AccessToken>("accessToken", t.token, { ...t, revoked: true });
  const r = vs.store.get<RefreshToken>("refreshToken", t.refreshToken);
  if (r) vs.store.put<RefreshToken>("refreshToken", r.token, { ...r, revoked: true });
  return json({ revoked: true });
});
