/**
 * QuickBooks OAuth 2.0: authorize (302 with `code`, `state`, `realmId`), the bearer token
 * endpoint (Basic client auth, form-encoded), and revoke. A PKCE S256 challenge, when sent, must
 * be proven by the token request's `code_verifier` (Intuit publishes nothing on PKCE for
 * QuickBooks: the sandbox plays a server that supports it). Access tokens live 3600 s (setting
 * `tokenLifetimeSeconds`). Refresh tokens rotate: a refresh returns a new refresh token, and the
 * previous one keeps working until the new one has been used once.
 */
import { Hono } from "hono";
import type { VendorCtx, VendorEnv } from "../core/context";
import { pkceProven, pkceRequest, safeEqual } from "../lib/crypto";
import { basicAuth, bearer, json, readParams } from "../lib/http";
import { breaks } from "../state/settings";

interface Code {
  code: string;
  redirectUri: string;
  realmId: string;
  expiresAt: number;
  used: boolean;
  /** The PKCE S256 challenge the authorization request carried, if any. */
  codeChallenge?: string | null;
}

interface Access {
  token: string;
  realmId: string;
  expiresAt: number;
  revoked: boolean;
}

interface Refresh {
  token: string;
  realmId: string;
  parent: string | null;
  child: string | null;
  used: boolean;
  revoked: boolean;
  expiresAt: number;
}

const REFRESH_LIFETIME_S = 8_726_400;

function oauthError(status: number, error: string): Response {
  return json({ error }, status);
}

function newRefresh(vs: VendorCtx, realmId: string, parent: string | null): Refresh {
  const r: Refresh = {
    token: `RT1-${vs.rng.hex(40)}`,
    realmId,
    parent,
    child: null,
    used: false,
    revoked: false,
    expiresAt: vs.now() + REFRESH_LIFETIME_S * 1000,
  };
  vs.store.put<Refresh>("refreshToken", r.token, r);
  return r;
}

function tokens(vs: VendorCtx, refresh: Refresh): Response {
  const lifetime = vs.settings.tokenLifetimeSeconds ?? 3600;
  const token = `eyJ.${vs.rng.hex(48)}`;
  vs.store.put<Access>("accessToken", token, { token, realmId: refresh.realmId, expiresAt: vs.now() + lifetime * 1000, revoked: false });
  return json({
    token_type: "bearer",
    access_token: token,
    refresh_token: refresh.token,
    expires_in: Math.round(lifetime),
    x_refresh_token_expires_in: Math.round((refresh.expiresAt - vs.now()) / 1000),
  });
}

/** The realm a valid Bearer token grants, or the reason it is refused. */
export function tokenRealm(vs: VendorCtx, req: Request): { realmId: string } | { error: string } {
  const t = bearer(req.headers.get("authorization"));
  const a = t === null ? undefined : vs.store.get<Access>("accessToken", t);
  if (a === undefined || a.revoked || breaks(vs.settings, "credentials")) return { error: "Token invalid" };
  if (a.expiresAt <= vs.now()) return { error: "Token expired" };
  return { realmId: a.realmId };
}

export const qboOauthRoutes = new Hono<VendorEnv>();

qboOauthRoutes.get("/quickbooks/connect/oauth2", (c) => {
  const vs = c.env.vs;
  const q = new URL(c.req.url).searchParams;
  const redirect = q.get("redirect_uri");
  if (q.get("client_id") !== vs.env.QUICKBOOKS_CLIENT_ID) return oauthError(400, "invalid_client");
  if (redirect === null || !/^https?:\/\//.test(redirect)) return oauthError(400, "invalid_request");
  const target = new URL(redirect);
  const pkce = pkceRequest(q);
  if ("error" in pkce) {
    target.searchParams.set("error", "invalid_request");
  } else if (vs.settings.denyOAuth) {
    target.searchParams.set("error", "access_denied");
  } else {
    const code = `AB${vs.rng.hex(40)}`;
    const realmId = vs.env.QUICKBOOKS_REALM_ID;
    vs.store.put<Code>("code", code, {
      code,
      redirectUri: redirect,
      realmId,
      expiresAt: vs.now() + 5 * 60_000,
      used: false,
      codeChallenge: pkce.challenge,
    });
    target.searchParams.set("code", code);
    target.searchParams.set("realmId", realmId);
  }
  const state = q.get("state");
  if (state !== null) target.searchParams.set("state", state);
  return c.redirect(target.toString(), 302);
});

qboOauthRoutes.post("/quickbooks/oauth2/v1/tokens/bearer", async (c) => {
  const vs = c.env.vs;
  const client = basicAuth(c.req.header("authorization") ?? null);
  if (client === null || client.user !== vs.env.QUICKBOOKS_CLIENT_ID || !safeEqual(client.password, vs.env.QUICKBOOKS_CLIENT_SECRET)) {
    return oauthError(401, "invalid_client");
  }
  const p = await readParams(c.req.raw);
  if (p["grant_type"] === "authorization_code") {
    const code = p["code"] === undefined ? undefined : vs.store.get<Code>("code", p["code"]);
    if (code === undefined || code.used || code.expiresAt <= vs.now() || p["redirect_uri"] !== code.redirectUri) {
      return oauthError(400, "invalid_grant");
    }
    if (!(await pkceProven(code.codeChallenge, p["code_verifier"]))) return oauthError(400, "invalid_grant");
    vs.store.put<Code>("code", code.code, { ...code, used: true });
    return tokens(vs, newRefresh(vs, code.realmId, null));
  }
  if (p["grant_type"] === "refresh_token") {
    const r = p["refresh_token"] === undefined ? undefined : vs.store.get<Refresh>("refreshToken", p["refresh_token"]);
    if (r === undefined || r.revoked || r.expiresAt <= vs.now() || breaks(vs.settings, "refresh")) return oauthError(400, "invalid_grant");
    // Using this token retires its parent: the rotation is now complete.
    if (r.parent !== null) {
      const parent = vs.store.get<Refresh>("refreshToken", r.parent);
      if (parent) vs.store.put<Refresh>("refreshToken", parent.token, { ...parent, revoked: true });
    }
    const child = r.child === null ? undefined : vs.store.get<Refresh>("refreshToken", r.child);
    // Until the new token is used, refreshing with the old one hands back the same new token.
    const next = child !== undefined && !child.used && !child.revoked ? child : newRefresh(vs, r.realmId, r.token);
    vs.store.put<Refresh>("refreshToken", r.token, {
      ...r,
      used: true,
      child: next.token,
      expiresAt: vs.now() + REFRESH_LIFETIME_S * 1000,
    });
    return tokens(vs, next);
  }
  return oauthError(400, "unsupported_grant_type");
});

qboOauthRoutes.post("/quickbooks/oauth2/v1/tokens/revoke", async (c) => {
  const vs = c.env.vs;
  const p = await readParams(c.req.raw);
  const token = p["token"] ?? "";
  const r = vs.store.get<Refresh>("refreshToken", token);
  if (r) vs.store.put<Refresh>("refreshToken", token, { ...r, revoked: true });
  const a = vs.store.get<Access>("accessToken", token);
  if (a) vs.store.put<Access>("accessToken", token, { ...a, revoked: true });
  return r || a ? c.body(null, 200) : oauthError(400, "invalid_request");
});
