import type { ConnectionConfig } from "../../config/brokerage";
import type { StoredCredential } from "../../durable/vendor-gate";
import { permanent, type Result } from "../../lib/result";
import { codeGrant, consentUrl, refreshGrant } from "../shared/oauth";
import { requestToken } from "../shared/token-endpoint";

const VENDOR = "quickbooks";
const SCOPE = "com.intuit.quickbooks.accounting";
/** Access tokens live one hour; used when an answer omits `expires_in`. */
const DEFAULT_LIFETIME_S = 3600;

/** POST tokenUrl with Basic client authentication and a form-encoded grant. */
async function tokenRequest(
  config: ConnectionConfig,
  grant: Record<string, string>,
  meta: Record<string, string> | undefined,
  previousRefresh?: string,
): Promise<Result<StoredCredential>> {
  if (!config.tokenUrl) return permanent("config_invalid", `${config.id}: tokenUrl is required for QuickBooks`, { vendor: VENDOR });
  // Refresh tokens rotate: the answer's is the only one sure to keep working.
  return requestToken(VENDOR, config.tokenUrl, config, grant, { defaultLifetimeS: DEFAULT_LIFETIME_S, previousRefresh, meta });
}

/**
 * QuickBooks Online OAuth 2.0 (Intuit): authorize, exchange the code (the callback also names the
 * company, `realmId`, kept in the credential's meta), refresh with rotation.
 */
export const quickBooksOAuth = {
  vendor: VENDOR,
  /** Intuit's OAuth 2.0 docs and its own client libraries say nothing of PKCE for QuickBooks. */
  pkceByDefault: false,

  /** `authUrl?response_type=code&client_id&redirect_uri&state&scope=com.intuit.quickbooks.accounting[&code_challenge&code_challenge_method]`. */
  authorizeUrl(config: ConnectionConfig, redirectUri: string, state: string, codeChallenge?: string): Result<string> {
    if (!config.authUrl) return permanent("config_invalid", `${config.id}: authUrl is required for QuickBooks`, { vendor: VENDOR });
    return consentUrl(VENDOR, config, config.authUrl, { redirectUri, state, codeChallenge }, { scope: SCOPE });
  },

  /**
   * Trades the callback's code for the first credential. The company authorized must be the one
   * the connection is configured for: invoices must never land in another company's books.
   */
  async exchangeCode(
    config: ConnectionConfig,
    input: { code: string; redirectUri: string; callback: Record<string, string>; codeVerifier?: string },
  ): Promise<Result<StoredCredential>> {
    const realmId = input.callback.realmId;
    if (!realmId || !/^\d{1,32}$/.test(realmId))
      return permanent("realm_missing", "QuickBooks did not name the company (realmId)", { vendor: VENDOR });
    const configured = config.credentials.realmId;
    if (configured && configured !== realmId) {
      return permanent(
        "realm_mismatch",
        `QuickBooks company ${realmId} was authorized, but ${config.id} is configured for company ${configured}`,
        { vendor: VENDOR },
      );
    }
    return tokenRequest(config, codeGrant(input), { realmId });
  },

  /**
   * Renews with the stored refresh token and returns the newest refresh token Intuit gave; the
   * gate stores it before anyone uses the new access token. A refused grant is `not_connected`.
   */
  refresh(config: ConnectionConfig, current: StoredCredential | null): Promise<Result<StoredCredential>> {
    return refreshGrant(VENDOR, "QuickBooks", config, current, (grant, refreshToken) =>
      tokenRequest(config, grant, current?.meta, refreshToken),
    );
  },
};
