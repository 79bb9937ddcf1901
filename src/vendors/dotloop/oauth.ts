import type { ConnectionConfig } from "../../config/brokerage";
import type { StoredCredential } from "../../durable/vendor-gate";
import { ok, permanent, type Result } from "../../lib/result";
import { codeGrant, consentUrl, refreshGrant } from "../shared/oauth";
import { requestToken } from "../shared/token-endpoint";

const VENDOR = "dotloop";
/** Dotloop access tokens usually live 12 hours; used when an answer omits `expires_in`. */
const DEFAULT_LIFETIME_S = 43_199;

function oauthBase(config: ConnectionConfig): Result<string> {
  return config.authUrl
    ? ok(config.authUrl.replace(/\/$/, ""))
    : permanent("config_invalid", `${config.id}: authUrl is required for Dotloop`, { vendor: VENDOR });
}

/** POST {authUrl}/token with Basic client authentication and a form-encoded grant. */
async function tokenRequest(
  config: ConnectionConfig,
  grant: Record<string, string>,
  previous: StoredCredential | null,
): Promise<Result<StoredCredential>> {
  const base = oauthBase(config);
  if (!base.ok) return base;
  return requestToken(VENDOR, `${base.value}/token`, config, grant, {
    defaultLifetimeS: DEFAULT_LIFETIME_S,
    previousRefresh: previous?.refreshToken,
    meta: previous?.meta,
  });
}

/**
 * Dotloop's OAuth 2.0 authorization-code flow, as the connect route and the authorizer use it.
 * Refreshing invalidates the previous access token at once, which is why the gate leases renewal
 * to one caller at a time.
 */
export const dotloopOAuth = {
  vendor: VENDOR,
  /** Dotloop's published OAuth material (docs, official sample) says nothing of PKCE. */
  pkceByDefault: false,

  /** `{authUrl}/authorize?response_type=code&client_id&redirect_uri&state[&code_challenge&code_challenge_method]`. */
  authorizeUrl(config: ConnectionConfig, redirectUri: string, state: string, codeChallenge?: string): Result<string> {
    const base = oauthBase(config);
    return base.ok ? consentUrl(VENDOR, config, `${base.value}/authorize`, { redirectUri, state, codeChallenge }) : base;
  },

  /** Trades the callback's code for the first credential. */
  exchangeCode(
    config: ConnectionConfig,
    input: { code: string; redirectUri: string; codeVerifier?: string },
  ): Promise<Result<StoredCredential>> {
    return tokenRequest(config, codeGrant(input), null);
  },

  /** Renews with the stored refresh token; none stored, or refused, means the brokerage must connect (again). */
  refresh(config: ConnectionConfig, current: StoredCredential | null): Promise<Result<StoredCredential>> {
    return refreshGrant(VENDOR, "Dotloop", config, current, (grant) => tokenRequest(config, grant, current));
  },
};
