import * as z from "../../lib/zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { StoredCredential } from "../../durable/vendor-gate";
import { fail, ok, permanent, type Result } from "../../lib/result";
import { classifyStatus, networkFailure, retryAfterSeconds } from "../shared/classify";
import { codeGrant, consentUrl, refreshGrant } from "../shared/oauth";
import { readBody } from "../shared/transport";
import { lionDeskDialect } from "./dialect";

const VENDOR = "liondesk";
/** Used when an answer names neither `expires_in` nor `expires`. */
const DEFAULT_LIFETIME_S = 3600;

/**
 * LionDesk's token answer: `expires_in` (seconds) and `expires` (the instant: an ISO date in the
 * docs; epoch seconds are read too). A refresh answer may omit the refresh token: the old one stays.
 */
const TokenAnswer = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.optional(z.string().check(z.minLength(1))),
  expires_in: z.optional(z.coerce.number().check(z.positive())),
  expires: z.optional(z.union([z.string(), z.number()])),
});

/** When the access token expires: `expires_in` first, then `expires`, then the default lifetime. */
export function lionDeskExpiry(answer: { expires_in?: number | undefined; expires?: string | number | undefined }, now: number): number {
  if (answer.expires_in !== undefined) return now + answer.expires_in * 1000;
  const e = answer.expires;
  if (typeof e === "number" && Number.isFinite(e) && e > 0) return e < 1e11 ? e * 1000 : e;
  if (typeof e === "string" && e.trim() !== "") {
    const numeric = Number(e);
    if (Number.isFinite(numeric) && numeric > 0) return numeric < 1e11 ? numeric * 1000 : numeric;
    const at = Date.parse(e);
    if (Number.isFinite(at) && at > now) return at;
  }
  return now + DEFAULT_LIFETIME_S * 1000;
}

const base = (config: ConnectionConfig) => config.baseUrl.replace(/\/$/, "");

/**
 * `POST /oauth2/token` with the client's id and secret in the JSON body, as LionDesk's docs send
 * them. Sent outside the gate's budget: the token endpoint is not metered like the API, and a
 * renewal must never wait behind the calls it unblocks.
 */
async function tokenRequest(
  config: ConnectionConfig,
  grant: Record<string, string>,
  previous: StoredCredential | null,
): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret } = config.credentials;
  if (!clientId || !clientSecret)
    return permanent("credentials_missing", `${config.id}: clientId and clientSecret are required`, { vendor: VENDOR });
  let res: Response;
  try {
    res = await fetch(config.tokenUrl ?? `${base(config)}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...grant, client_id: clientId, client_secret: clientSecret }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    return fail(networkFailure(VENDOR, err));
  }
  const body = await readBody(res);
  if (!res.ok)
    return fail(
      classifyStatus(VENDOR, res.status, lionDeskDialect.errorMessage(body, res.status), retryAfterSeconds(res.headers.get("retry-after"))),
    );
  const parsed = TokenAnswer.safeParse(body);
  if (!parsed.success) return permanent("vendor_unexpected_response", "token answer without access_token", { vendor: VENDOR });
  const refreshToken = parsed.data.refresh_token ?? previous?.refreshToken;
  return ok({
    accessToken: parsed.data.access_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: lionDeskExpiry(parsed.data, Date.now()),
  });
}

/**
 * LionDesk OAuth 2.0: its docs describe the authorization-code grant (and implicit, which a
 * server has no use for) with refresh, nothing else; so a brokerage connects LionDesk through
 * /connect/liondesk like Dotloop and QuickBooks, and the hub renews with the refresh token.
 */
export const lionDeskOAuth = {
  vendor: VENDOR,
  /** LionDesk's docs say nothing of PKCE. */
  pkceByDefault: false,

  /** `{authUrl | baseUrl/oauth2/authorize}?response_type=code&client_id&redirect_uri&state`. */
  authorizeUrl(config: ConnectionConfig, redirectUri: string, state: string, codeChallenge?: string): Result<string> {
    return consentUrl(VENDOR, config, config.authUrl ?? `${base(config)}/oauth2/authorize`, { redirectUri, state, codeChallenge });
  },

  exchangeCode(
    config: ConnectionConfig,
    input: { code: string; redirectUri: string; callback: Record<string, string>; codeVerifier?: string },
  ): Promise<Result<StoredCredential>> {
    return tokenRequest(config, codeGrant(input), null);
  },

  /** Renews with the stored refresh token; none stored, or refused, means the brokerage must connect (again). */
  refresh(config: ConnectionConfig, current: StoredCredential | null): Promise<Result<StoredCredential>> {
    return refreshGrant(VENDOR, "LionDesk", config, current, (grant) => tokenRequest(config, grant, current));
  },
};
