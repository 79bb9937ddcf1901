import { z } from "zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { StoredCredential } from "../../durable/vendor-gate";
import { toBase64, utf8 } from "../../lib/bytes";
import { fail, ok, permanent, type Result } from "../../lib/result";
import { classifyStatus, networkFailure, retryAfterSeconds } from "../shared/classify";
import { notConnected } from "../shared/oauth";

const VENDOR = "dotloop";
/** Dotloop access tokens usually live 12 hours; used when an answer omits `expires_in`. */
const DEFAULT_LIFETIME_S = 43_199;

const TokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
});

function oauthBase(config: ConnectionConfig): Result<string> {
  return config.authUrl
    ? ok(config.authUrl.replace(/\/$/, ""))
    : permanent("config_invalid", `${config.id}: authUrl is required for Dotloop`, { vendor: VENDOR });
}

function oauthMessage(body: unknown, status: number): string {
  if (body && typeof body === "object") {
    const o = body as Record<string, unknown>;
    const text = [o.error, o.error_description].filter((v) => typeof v === "string" && v).join(": ");
    if (text) return text;
  }
  return `HTTP ${status}`;
}

/** POST {authUrl}/token with Basic client authentication and a form-encoded grant. */
async function tokenRequest(config: ConnectionConfig, grant: Record<string, string>, previous: StoredCredential | null): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret } = config.credentials;
  if (!clientId || !clientSecret) return permanent("credentials_missing", `${config.id}: clientId and clientSecret are required`, { vendor: VENDOR });
  const base = oauthBase(config);
  if (!base.ok) return base;
  let res: Response;
  try {
    res = await fetch(`${base.value}/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${toBase64(utf8(`${clientId}:${clientSecret}`))}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: new URLSearchParams(grant).toString(),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    return fail(networkFailure(VENDOR, err));
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a non-JSON answer is reported as text
  }
  if (!res.ok) return fail(classifyStatus(VENDOR, res.status, oauthMessage(body, res.status), retryAfterSeconds(res.headers.get("retry-after"))));
  const parsed = TokenAnswer.safeParse(body);
  if (!parsed.success) return permanent("dotloop_unexpected_response", "token answer without access_token", { vendor: VENDOR });
  const t = parsed.data;
  const refreshToken = t.refresh_token ?? previous?.refreshToken;
  return ok({
    accessToken: t.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: Date.now() + (t.expires_in ?? DEFAULT_LIFETIME_S) * 1000,
    ...(previous?.meta ? { meta: previous.meta } : {}),
  });
}

/**
 * Dotloop's OAuth 2.0 authorization-code flow, as the connect route and the authorizer use it.
 * Refreshing invalidates the previous access token at once, which is why the gate leases renewal
 * to one caller at a time.
 */
export const dotloopOAuth = {
  vendor: VENDOR,

  /** `{authUrl}/authorize?response_type=code&client_id&redirect_uri&state`. */
  authorizeUrl(config: ConnectionConfig, redirectUri: string, state: string): Result<string> {
    const base = oauthBase(config);
    if (!base.ok) return base;
    const clientId = config.credentials.clientId;
    if (!clientId) return permanent("credentials_missing", `${config.id}: clientId is required`, { vendor: VENDOR });
    const url = new URL(`${base.value}/authorize`);
    url.search = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, state }).toString();
    return ok(url.toString());
  },

  /** Trades the callback's code for the first credential. */
  exchangeCode(config: ConnectionConfig, input: { code: string; redirectUri: string }): Promise<Result<StoredCredential>> {
    return tokenRequest(config, { grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri }, null);
  },

  /**
   * Renews with the stored refresh token. No grant yet, or a grant Dotloop no longer honours
   * (400/401 invalid_grant), is permanent `not_connected`: someone must connect again.
   */
  async refresh(config: ConnectionConfig, current: StoredCredential | null): Promise<Result<StoredCredential>> {
    if (!current?.refreshToken) return notConnected(VENDOR);
    const r = await tokenRequest(config, { grant_type: "refresh_token", refresh_token: current.refreshToken }, current);
    if (!r.ok && (r.error.status === 400 || r.error.status === 401)) {
      return permanent("not_connected", `Dotloop refused the refresh token (${r.error.message}); reconnect at /connect/dotloop?connection=${config.id}`, {
        vendor: VENDOR,
        status: r.error.status,
      });
    }
    return r;
  },
};
