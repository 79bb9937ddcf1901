import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate } from "../../durable/vendor-gate";
import { gateAuthorizer } from "../shared/oauth";
import type { Authorizer } from "../shared/transport";
import { lionDeskOAuth } from "./oauth";

/**
 * Bearer tokens kept in the gate, granted through the connect flow (authorization code) and
 * renewed with the refresh token, one renewal at a time.
 */
export function lionDeskAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  return gateAuthorizer(
    gate,
    (current) => lionDeskOAuth.refresh(config, current),
    (token) => ({ authorization: `Bearer ${token}` }),
  );
}
