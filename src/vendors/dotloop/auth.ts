import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate } from "../../durable/vendor-gate";
import { gateAuthorizer } from "../shared/oauth";
import type { Authorizer } from "../shared/transport";
import { dotloopOAuth } from "./oauth";

/**
 * Bearer tokens from the connection's gate, renewed with the refresh token. The grant itself comes
 * from the connect flow (/connect/dotloop); until then every call is a permanent `not_connected`.
 */
export function dotloopAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  return gateAuthorizer(
    gate,
    (current) => dotloopOAuth.refresh(config, current),
    (token) => ({ authorization: `Bearer ${token}` }),
  );
}
