import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate } from "../../durable/vendor-gate";
import { ok, permanent } from "../../lib/result";
import { gateAuthorizer } from "../shared/oauth";
import { requestToken } from "../shared/token-endpoint";
import type { Authorizer } from "../shared/transport";

const DEFAULT_LIFETIME_S = 3600;

/**
 * An MLS's credential: the static bearer token many MLS vendors issue, or an OAuth2 client
 * credentials token from the MLS's token endpoint (RESO Web API Core names both), kept in the
 * connection's gate and renewed there by one caller at a time.
 */
export function resoAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  const { bearerToken } = config.credentials;
  if (bearerToken) return { headers: async () => ok({ headers: { authorization: `Bearer ${bearerToken}` } }) };
  const tokenUrl = config.tokenUrl;
  return gateAuthorizer(
    gate,
    () =>
      tokenUrl
        ? requestToken("reso", tokenUrl, config, { grant_type: "client_credentials" }, { defaultLifetimeS: DEFAULT_LIFETIME_S })
        : Promise.resolve(
            permanent("credentials_missing", `${config.id}: tokenUrl is required for client credentials`, { vendor: "reso" }),
          ),
    (token) => ({ authorization: `Bearer ${token}` }),
  );
}
