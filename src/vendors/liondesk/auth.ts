import * as z from "zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate, StoredCredential } from "../../durable/vendor-gate";
import { fail, ok, permanent, type Result } from "../../lib/result";
import { classifyStatus, networkFailure, retryAfterSeconds } from "../shared/classify";
import { gateAuthorizer } from "../shared/oauth";
import { readBody, type Authorizer } from "../shared/transport";
import { lionDeskDialect } from "./dialect";

const VENDOR = "liondesk";
const DEFAULT_LIFETIME_S = 3600;

const TokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

/**
 * `POST /oauth2/token` with the client-credentials grant. Sent outside the gate's budget: the token
 * endpoint is not metered like the API, and a renewal must never wait behind the calls it unblocks.
 */
async function requestToken(config: ConnectionConfig): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret } = config.credentials;
  if (!clientId || !clientSecret) return permanent("credentials_missing", `${config.id}: clientId and clientSecret are required`, { vendor: VENDOR });
  let res: Response;
  try {
    res = await fetch(`${config.baseUrl.replace(/\/$/, "")}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    return fail(networkFailure(VENDOR, err));
  }
  const body = await readBody(res);
  if (!res.ok) {
    return fail(classifyStatus(VENDOR, res.status, lionDeskDialect.errorMessage(body, res.status), retryAfterSeconds(res.headers.get("retry-after"))));
  }
  const parsed = TokenAnswer.safeParse(body);
  if (!parsed.success) return permanent("vendor_unexpected_response", "token answer without access_token", { vendor: VENDOR });
  return ok({ accessToken: parsed.data.access_token, expiresAt: Date.now() + (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000 });
}

/** Bearer tokens kept in the gate; renewing asks for a new client-credentials token. */
export function lionDeskAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  return gateAuthorizer(gate, () => requestToken(config), (token) => ({ authorization: `Bearer ${token}` }));
}
