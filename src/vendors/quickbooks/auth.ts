import type { ConnectionConfig } from "../../config/brokerage";
import type { Gate } from "../../durable/vendor-gate";
import { gateAuthorizer } from "../shared/oauth";
import type { Authorizer } from "../shared/transport";
import { quickBooksOAuth } from "./oauth";

/**
 * Bearer tokens from the connection's gate. Renewal is leased to one caller and its answer (with
 * the rotated refresh token) is stored before use, so concurrent callers never refresh twice with
 * the same refresh token or lose the newest one.
 */
export function quickBooksAuth(config: ConnectionConfig, gate: Gate): Authorizer {
  return gateAuthorizer(
    gate,
    (current) => quickBooksOAuth.refresh(config, current),
    (token) => ({ authorization: `Bearer ${token}` }),
  );
}
