import { z } from "zod";
import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate, StoredCredential } from "../../durable/vendor-gate";
import { ok, permanent, type Result } from "../../lib/result";
import { gateAuthorizer } from "../shared/oauth";
import { vendorRequest, type Authorizer, type Connection } from "../shared/transport";
import { lionDeskDialect } from "./dialect";

const VENDOR = "liondesk";
const DEFAULT_LIFETIME_S = 3600;

const TokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

/**
 * `POST /oauth2/token` with the client-credentials grant. It is served by the API host itself,
 * so it goes through the connection's gate and spends the same budget.
 */
async function requestToken(conn: Connection): Promise<Result<StoredCredential>> {
  const { clientId, clientSecret } = conn.config.credentials;
  if (!clientId || !clientSecret) return permanent("credentials_missing", `${conn.config.id}: clientId and clientSecret are required`, { vendor: VENDOR });
  const r = await vendorRequest<unknown>(conn, {
    method: "POST",
    path: "/oauth2/token",
    json: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
  });
  if (!r.ok) return r;
  const parsed = TokenAnswer.safeParse(r.value.data);
  if (!parsed.success) return permanent("liondesk_unexpected_response", "token answer without access_token", { vendor: VENDOR });
  return ok({ accessToken: parsed.data.access_token, expiresAt: Date.now() + (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000 });
}

/** Bearer tokens kept in the gate; renewing asks for a new client-credentials token. */
export function lionDeskAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  const anonymous: Authorizer = { headers: async () => ok({ headers: {} }) };
  const tokenConnection: Connection = { config, gate, dialect: lionDeskDialect, auth: anonymous };
  return gateAuthorizer(gate, () => requestToken(tokenConnection), (token) => ({ authorization: `Bearer ${token}` }));
}
